package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.gate.GateConfig;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.registry.RegistryLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link ServerConfig} from, in increasing precedence: defaults, a YAML file, environment variables
 * ({@code PORTCULLIS_*}), then command-line flags. Unknown keys in the file are errors, so typos do not pass silently.
 *
 * <pre>
 * listen: 127.0.0.1:5000          # PORTCULLIS_LISTEN
 * data: ./data                    # PORTCULLIS_DATA
 * dev: false                      # PORTCULLIS_DEV
 * shutdownTimeout: 30s            # PORTCULLIS_SHUTDOWN_TIMEOUT
 * maxConcurrentUploads: 256       # PORTCULLIS_MAX_CONCURRENT_UPLOADS
 * blobMapCache: 640MiB            # PORTCULLIS_BLOB_MAP_CACHE; mappings of hot blobs kept between pulls, 0 = off
 * limits:
 *   maxBlobSize: 64GiB            # PORTCULLIS_MAX_BLOB_SIZE
 *   maxManifestSize: 4MiB         # PORTCULLIS_MAX_MANIFEST_SIZE
 * storage:                        # optional: shared storage for stateless nodes
 *   s3:
 *     endpoint: http://minio:9000 # omit for AWS
 *     region: us-east-1
 *     bucket: portcullis
 *     prefix: registry/
 *     accessKey: AKIA...          # secret key: PORTCULLIS_S3_SECRET_KEY
 *     pathStyle: true
 *   postgres:
 *     url: jdbc:postgresql://db:5432/portcullis
 *     user: portcullis            # password: PORTCULLIS_DB_PASSWORD
 *     poolSize: 16
 * tls:                            # HTTPS; required outside dev mode unless behindProxy
 *   cert: /etc/portcullis/tls.crt # PEM chain; PORTCULLIS_TLS_CERT, --tls-cert
 *   key: /etc/portcullis/tls.key  # PEM key; PORTCULLIS_TLS_KEY, --tls-key
 * behindProxy: false              # TLS ends at a proxy in front; PORTCULLIS_BEHIND_PROXY, --behind-proxy
 * auth:
 *   publicUrl: https://registry.example.com   # PORTCULLIS_PUBLIC_URL; token realm base
 *   tokenLifetime: 5m                         # PORTCULLIS_TOKEN_LIFETIME
 * protection:
 *   trustedProxies: 1             # PORTCULLIS_TRUSTED_PROXIES; proxies in front that append to X-Forwarded-For
 *   uploadsPerClient: 32          # PORTCULLIS_UPLOADS_PER_CLIENT; uploads in flight per principal and per address
 *   minUploadRate: 1KiB           # PORTCULLIS_MIN_UPLOAD_RATE; per second, judged after uploadRateGrace; 0 = off
 *   uploadRateGrace: 20s          # PORTCULLIS_UPLOAD_RATE_GRACE
 *   auditCheckpointEvery: 64      # PORTCULLIS_AUDIT_CHECKPOINT_EVERY; entries between signed checkpoints, at most
 *   auditCheckpointInterval: 1m   # PORTCULLIS_AUDIT_CHECKPOINT_INTERVAL; longest an entry stays unanchored
 * gate:
 *   workers: 4                    # PORTCULLIS_GATE_WORKERS; scan jobs at once on this node (default: the cores)
 *   lease: 2m                     # PORTCULLIS_GATE_LEASE; a dead node's jobs pass to another after this
 * </pre>
 */
public final class ConfigLoader {
    private static final Set<String> TOP_KEYS = Set.of("listen", "data", "dev", "shutdownTimeout",
            "maxConcurrentUploads", "blobMapCache", "limits", "storage", "tls", "behindProxy", "auth", "protection",
            "gate");
    private static final Set<String> GATE_KEYS = Set.of("workers", "lease");
    private static final Set<String> PROTECTION_KEYS = Set.of("trustedProxies", "uploadsPerClient", "minUploadRate",
            "uploadRateGrace", "auditCheckpointEvery", "auditCheckpointInterval");
    private static final Set<String> TLS_KEYS = Set.of("cert", "key");
    private static final Set<String> AUTH_KEYS = Set.of("publicUrl", "tokenLifetime");
    private static final Set<String> STORAGE_KEYS = Set.of("s3", "postgres");
    private static final Set<String> S3_KEYS = Set.of("endpoint", "region", "bucket", "prefix", "accessKey",
            "pathStyle");
    private static final Set<String> POSTGRES_KEYS = Set.of("url", "user", "poolSize");
    private static final Set<String> LIMIT_KEYS = Set.of("maxBlobSize", "maxManifestSize");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private ConfigLoader() {
    }

    /** Command-line values; null means "not given". */
    public record Flags(String listen, Path data, Boolean dev, Path tlsCert, Path tlsKey, Boolean behindProxy) {
        public Flags(String listen, Path data, Boolean dev) {
            this(listen, data, dev, null, null, null);
        }
    }

    public static ServerConfig load(Optional<Path> file, Map<String, String> env, Flags flags) {
        ServerConfig c = ServerConfig.defaults();
        if (file.isPresent()) {
            c = applyFile(c, file.get(), env);
        }
        c = applyEnv(c, env);
        if (flags.listen() != null) {
            c = withListen(c, flags.listen(), "--listen");
        }
        if (flags.data() != null) {
            c = c.withDataDir(flags.data());
        }
        if (flags.dev() != null && flags.dev()) {
            c = c.withDev(true);
        }
        ServerConfig.Security sec = c.security();
        if (flags.tlsCert() != null || flags.tlsKey() != null) {
            sec = new ServerConfig.Security(Optional.ofNullable(flags.tlsCert()).or(sec::tlsCert),
                    Optional.ofNullable(flags.tlsKey()).or(sec::tlsKey), sec.behindProxy(), sec.publicUrl(),
                    sec.tokenLifetime());
        }
        if (flags.behindProxy() != null && flags.behindProxy()) {
            sec = new ServerConfig.Security(sec.tlsCert(), sec.tlsKey(), true, sec.publicUrl(), sec.tokenLifetime());
        }
        return c.withSecurity(sec);
    }

    private static ServerConfig applySecurity(ServerConfig c, Optional<String> cert, Optional<String> key,
                                              Optional<Boolean> behindProxy, Optional<String> publicUrl,
                                              Optional<Duration> tokenLifetime) {
        ServerConfig.Security s = c.security();
        try {
            return c.withSecurity(new ServerConfig.Security(cert.map(Path::of).or(s::tlsCert),
                    key.map(Path::of).or(s::tlsKey), behindProxy.orElse(s.behindProxy()), publicUrl.or(s::publicUrl),
                    tokenLifetime.orElse(s.tokenLifetime())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static ServerConfig applyFile(ServerConfig c, Path file, Map<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return c;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the config file must be a mapping of keys to values");
        }
        checkKeys(root, TOP_KEYS, file + "");
        String where = file.toString();
        if (root.has("listen")) {
            c = withListen(c, root.get("listen").asText(), where + ": listen");
        }
        if (root.has("data")) {
            c = c.withDataDir(Path.of(root.get("data").asText()));
        }
        if (root.has("dev")) {
            c = c.withDev(bool(root.get("dev").asText(), where + ": dev"));
        }
        if (root.has("shutdownTimeout")) {
            c = c.withShutdownTimeout(duration(root.get("shutdownTimeout").asText(), where + ": shutdownTimeout"));
        }
        if (root.has("maxConcurrentUploads")) {
            c = c.withMaxConcurrentUploads(integer(root.get("maxConcurrentUploads").asText(),
                    where + ": maxConcurrentUploads"));
        }
        if (root.has("blobMapCache")) {
            c = c.withBlobMapCache(size(root.get("blobMapCache").asText(), where + ": blobMapCache"));
        }
        JsonNode limits = root.get("limits");
        if (limits != null) {
            checkKeys(limits, LIMIT_KEYS, where + ": limits");
            RegistryLimits l = c.limits();
            if (limits.has("maxBlobSize")) {
                l = new RegistryLimits(size(limits.get("maxBlobSize").asText(), where + ": limits.maxBlobSize"),
                        l.maxManifestBytes(), l.maxPageSize());
            }
            if (limits.has("maxManifestSize")) {
                l = new RegistryLimits(l.maxBlobBytes(), manifestSize(limits.get("maxManifestSize").asText(),
                        where + ": limits.maxManifestSize"), l.maxPageSize());
            }
            c = c.withLimits(l);
        }
        JsonNode tls = root.get("tls");
        if (tls != null) {
            checkKeys(tls, TLS_KEYS, where + ": tls");
        }
        JsonNode authNode = root.get("auth");
        if (authNode != null) {
            checkKeys(authNode, AUTH_KEYS, where + ": auth");
        }
        c = applySecurity(c, optionalText(tls, "cert"), optionalText(tls, "key"),
                root.has("behindProxy") ? Optional.of(bool(root.get("behindProxy").asText(), where + ": behindProxy"))
                        : Optional.empty(), optionalText(authNode, "publicUrl"),
                optionalText(authNode, "tokenLifetime").map(v -> duration(v, where + ": auth.tokenLifetime")));
        JsonNode protection = root.get("protection");
        if (protection != null) {
            checkKeys(protection, PROTECTION_KEYS, where + ": protection");
            c = applyProtection(c, key -> optionalText(protection, key), key -> where + ": protection." + key);
        }
        JsonNode gate = root.get("gate");
        if (gate != null) {
            checkKeys(gate, GATE_KEYS, where + ": gate");
            c = withGate(c, optionalText(gate, "workers"), optionalText(gate, "lease"), where + ": gate.");
        }
        JsonNode storage = root.get("storage");
        if (storage != null) {
            checkKeys(storage, STORAGE_KEYS, where + ": storage");
            c = c.withStorage(new ServerConfig.Storage(s3(storage.get("s3"), env, where + ": storage.s3"),
                    postgres(storage.get("postgres"), env, where + ": storage.postgres")));
        }
        return c;
    }

    private static Optional<dev.portcullis.storage.S3BlobStore.Settings> s3(JsonNode node, Map<String, String> env,
                                                                           String where) {
        if (node == null) {
            return Optional.empty();
        }
        checkKeys(node, S3_KEYS, where);
        if (!node.hasNonNull("bucket")) {
            throw new ConfigException(where + ": bucket is required");
        }
        String accessKey = text(node, "accessKey");
        String secretKey = env.get("PORTCULLIS_S3_SECRET_KEY");
        if (accessKey != null && secretKey == null) {
            throw new ConfigException(where + ": accessKey is set, so PORTCULLIS_S3_SECRET_KEY must be set too");
        }
        String endpoint = text(node, "endpoint");
        return Optional.of(new dev.portcullis.storage.S3BlobStore.Settings(
                endpoint == null ? null : java.net.URI.create(endpoint), text(node, "region"), text(node, "bucket"),
                text(node, "prefix"), accessKey, secretKey, node.path("pathStyle").asBoolean(endpoint != null)));
    }

    private static Optional<ServerConfig.Postgres> postgres(JsonNode node, Map<String, String> env, String where) {
        if (node == null) {
            return Optional.empty();
        }
        checkKeys(node, POSTGRES_KEYS, where);
        try {
            return Optional.of(new ServerConfig.Postgres(text(node, "url"), text(node, "user"),
                    env.get("PORTCULLIS_DB_PASSWORD"), node.path("poolSize").asInt(16)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ServerConfig applyEnv(ServerConfig c, Map<String, String> env) {
        String v;
        if ((v = env.get("PORTCULLIS_LISTEN")) != null) {
            c = withListen(c, v, "PORTCULLIS_LISTEN");
        }
        if ((v = env.get("PORTCULLIS_DATA")) != null) {
            c = c.withDataDir(Path.of(v));
        }
        if ((v = env.get("PORTCULLIS_DEV")) != null) {
            c = c.withDev(bool(v, "PORTCULLIS_DEV"));
        }
        if ((v = env.get("PORTCULLIS_SHUTDOWN_TIMEOUT")) != null) {
            c = c.withShutdownTimeout(duration(v, "PORTCULLIS_SHUTDOWN_TIMEOUT"));
        }
        if ((v = env.get("PORTCULLIS_MAX_CONCURRENT_UPLOADS")) != null) {
            c = c.withMaxConcurrentUploads(integer(v, "PORTCULLIS_MAX_CONCURRENT_UPLOADS"));
        }
        if ((v = env.get("PORTCULLIS_BLOB_MAP_CACHE")) != null) {
            c = c.withBlobMapCache(size(v, "PORTCULLIS_BLOB_MAP_CACHE"));
        }
        if ((v = env.get("PORTCULLIS_MAX_BLOB_SIZE")) != null) {
            RegistryLimits l = c.limits();
            c = c.withLimits(new RegistryLimits(size(v, "PORTCULLIS_MAX_BLOB_SIZE"), l.maxManifestBytes(),
                    l.maxPageSize()));
        }
        if ((v = env.get("PORTCULLIS_MAX_MANIFEST_SIZE")) != null) {
            RegistryLimits l = c.limits();
            c = c.withLimits(new RegistryLimits(l.maxBlobBytes(), manifestSize(v, "PORTCULLIS_MAX_MANIFEST_SIZE"),
                    l.maxPageSize()));
        }
        c = applySecurity(c, Optional.ofNullable(env.get("PORTCULLIS_TLS_CERT")),
                Optional.ofNullable(env.get("PORTCULLIS_TLS_KEY")),
                Optional.ofNullable(env.get("PORTCULLIS_BEHIND_PROXY")).map(b -> bool(b, "PORTCULLIS_BEHIND_PROXY")),
                Optional.ofNullable(env.get("PORTCULLIS_PUBLIC_URL")),
                Optional.ofNullable(env.get("PORTCULLIS_TOKEN_LIFETIME"))
                        .map(d -> duration(d, "PORTCULLIS_TOKEN_LIFETIME")));
        c = applyProtection(c, key -> Optional.ofNullable(env.get(envName(key))), ConfigLoader::envName);
        c = withGate(c, Optional.ofNullable(env.get("PORTCULLIS_GATE_WORKERS")),
                Optional.ofNullable(env.get("PORTCULLIS_GATE_LEASE")), "PORTCULLIS_GATE_");
        return c;
    }

    /** The gate's keys; {@code where} prefixes the key's name in errors. */
    private static ServerConfig withGate(ServerConfig c, Optional<String> workers, Optional<String> lease,
                                         String where) {
        GateConfig g = c.gate();
        try {
            if (workers.isPresent()) {
                g = g.withWorkers(integer(workers.get(), where + "workers"));
            }
            if (lease.isPresent()) {
                g = g.withLease(duration(lease.get(), where + "lease"));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage()); // names the key (gate.workers, gate.lease)
        }
        return c.withGate(g);
    }

    /** The protection keys: {@code value} looks each up by its file key, {@code name} names it in errors. */
    private static ServerConfig applyProtection(ServerConfig c, Function<String, Optional<String>> value,
                                                Function<String, String> name) {
        ServerConfig.Protection p = c.protection();
        try {
            return c.withProtection(new ServerConfig.Protection(
                    value.apply("trustedProxies").map(v -> integer(v, name.apply("trustedProxies")))
                            .orElse(p.trustedProxies()),
                    value.apply("uploadsPerClient").map(v -> integer(v, name.apply("uploadsPerClient")))
                            .orElse(p.uploadsPerClient()),
                    value.apply("minUploadRate").map(v -> size(v, name.apply("minUploadRate")))
                            .orElse(p.minUploadRate()),
                    value.apply("uploadRateGrace").map(v -> duration(v, name.apply("uploadRateGrace")))
                            .orElse(p.uploadRateGrace()),
                    value.apply("auditCheckpointEvery").map(v -> integer(v, name.apply("auditCheckpointEvery")))
                            .orElse(p.auditCheckpointEvery()),
                    value.apply("auditCheckpointInterval")
                            .map(v -> duration(v, name.apply("auditCheckpointInterval")))
                            .orElse(p.auditCheckpointInterval())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name.apply("protection") + ": " + e.getMessage());
        }
    }

    /** PORTCULLIS_TRUSTED_PROXIES for trustedProxies, and so on. */
    private static String envName(String key) {
        return "PORTCULLIS_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT);
    }

    private static Optional<String> optionalText(JsonNode node, String key) {
        return node == null || !node.has(key) ? Optional.empty() : Optional.of(node.get(key).asText());
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(where + ": unknown key '" + key + "'; known keys: " + allowed);
            }
        }
    }

    static ServerConfig withListen(ServerConfig c, String listen, String where) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(where + ": '" + listen + "' must be HOST:PORT, e.g. 127.0.0.1:5000");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return c.withListen(host, integer(listen.substring(colon + 1), where + " port"));
    }

    static long size(String text, String where) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(where + ": '" + text + "' is not a size such as 512MiB or 4GiB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(where + ": '" + text + "' is larger than any size this server can use");
        }
    }

    /** The manifest size limit, which the manifest parser's own bound caps. */
    private static int manifestSize(String text, String where) {
        long n = size(text, where);
        if (n > ManifestParser.MAX_MANIFEST_BYTES) {
            throw new ConfigException(where + ": '" + text + "' is above the largest manifest Portcullis reads ("
                    + (ManifestParser.MAX_MANIFEST_BYTES >> 20) + "MiB)");
        }
        return (int) n;
    }

    /**
     * The longest duration accepted anywhere: 100 years. Longer ones are typos, and would overflow the clock
     * arithmetic they feed ({@code now - grace} is before the first instant Java can represent).
     */
    static final Duration MAX_DURATION = Duration.ofHours(876_600);

    public static Duration duration(String text, String where) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(where + ": '" + text + "' is not a duration such as 30s, 5m or 500ms");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw tooLong(text, where);
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw tooLong(text, where);
        }
        return d;
    }

    private static ConfigException tooLong(String text, String where) {
        return new ConfigException(where + ": '" + text + "' is longer than any duration this server can use (at"
                + " most 876600h, 100 years)");
    }

    private static int integer(String text, String where) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": '" + text + "' is not a whole number");
        }
    }

    private static boolean bool(String text, String where) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(where + ": '" + text + "' is not true or false");
        };
    }

    /** The configuration is wrong; the message names the source and the key. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
