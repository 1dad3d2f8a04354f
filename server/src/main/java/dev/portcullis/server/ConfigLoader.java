package dev.portcullis.server;

import static dev.portcullis.server.ConfigKeys.AUDIT_CHECKPOINT_EVERY;
import static dev.portcullis.server.ConfigKeys.AUDIT_CHECKPOINT_INTERVAL;
import static dev.portcullis.server.ConfigKeys.BEHIND_PROXY;
import static dev.portcullis.server.ConfigKeys.BLOB_MAP_CACHE;
import static dev.portcullis.server.ConfigKeys.DATA;
import static dev.portcullis.server.ConfigKeys.DEV;
import static dev.portcullis.server.ConfigKeys.GATE_LEASE;
import static dev.portcullis.server.ConfigKeys.GATE_WORKERS;
import static dev.portcullis.server.ConfigKeys.LISTEN;
import static dev.portcullis.server.ConfigKeys.MAX_BLOB_SIZE;
import static dev.portcullis.server.ConfigKeys.MAX_CONCURRENT_UPLOADS;
import static dev.portcullis.server.ConfigKeys.MAX_MANIFEST_SIZE;
import static dev.portcullis.server.ConfigKeys.MIN_UPLOAD_RATE;
import static dev.portcullis.server.ConfigKeys.POSTGRES_PASSWORD;
import static dev.portcullis.server.ConfigKeys.POSTGRES_POOL_SIZE;
import static dev.portcullis.server.ConfigKeys.POSTGRES_URL;
import static dev.portcullis.server.ConfigKeys.POSTGRES_USER;
import static dev.portcullis.server.ConfigKeys.PUBLIC_URL;
import static dev.portcullis.server.ConfigKeys.S3_ACCESS_KEY;
import static dev.portcullis.server.ConfigKeys.S3_BUCKET;
import static dev.portcullis.server.ConfigKeys.S3_ENDPOINT;
import static dev.portcullis.server.ConfigKeys.S3_PATH_STYLE;
import static dev.portcullis.server.ConfigKeys.S3_PREFIX;
import static dev.portcullis.server.ConfigKeys.S3_REGION;
import static dev.portcullis.server.ConfigKeys.S3_SECRET_KEY;
import static dev.portcullis.server.ConfigKeys.SHUTDOWN_TIMEOUT;
import static dev.portcullis.server.ConfigKeys.TLS_CERT;
import static dev.portcullis.server.ConfigKeys.TLS_KEY;
import static dev.portcullis.server.ConfigKeys.TOKEN_LIFETIME;
import static dev.portcullis.server.ConfigKeys.TRUSTED_PROXIES;
import static dev.portcullis.server.ConfigKeys.UPLOADS_PER_CLIENT;
import static dev.portcullis.server.ConfigKeys.UPLOAD_RATE_GRACE;

import dev.portcullis.gate.GateConfig;
import dev.portcullis.registry.RegistryLimits;
import dev.portcullis.storage.S3BlobStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServerConfig} from the {@link ConfigKeys}, read by {@link ConfigValues} from, in increasing
 * precedence: defaults, a YAML file, environment variables ({@code PORTCULLIS_*}), then {@code serve} flags. The
 * keys, their forms and defaults are listed in {@code docs/configuration.md}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Reads every source and builds the validated configuration.
     *
     * @param flags the {@code serve} flags given, by flag name ({@code --listen} to {@code 0.0.0.0:5000}); a switch
     *              such as {@code --dev} maps to {@code true}
     * @throws ConfigException naming the key, where its value came from and what was expected
     */
    public static ServerConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        ConfigValues v = ConfigValues.read(file, env, flags);
        ConfigKeys.HostPort listen = v.get(LISTEN);
        RegistryLimits limits = v.build(() -> new RegistryLimits(v.get(MAX_BLOB_SIZE).bytes(),
                Math.toIntExact(v.get(MAX_MANIFEST_SIZE).bytes()), RegistryLimits.DEFAULTS.maxPageSize()),
                MAX_BLOB_SIZE, MAX_MANIFEST_SIZE);
        ServerConfig.Storage storage = new ServerConfig.Storage(s3(v), postgres(v));
        ServerConfig.Security security = v.build(() -> new ServerConfig.Security(v.find(TLS_CERT), v.find(TLS_KEY),
                v.get(BEHIND_PROXY), v.find(PUBLIC_URL), v.get(TOKEN_LIFETIME)), TLS_CERT, TLS_KEY, PUBLIC_URL);
        ServerConfig.Protection protection = v.build(() -> new ServerConfig.Protection(v.get(TRUSTED_PROXIES),
                v.get(UPLOADS_PER_CLIENT), v.get(MIN_UPLOAD_RATE), v.get(UPLOAD_RATE_GRACE),
                v.get(AUDIT_CHECKPOINT_EVERY), v.get(AUDIT_CHECKPOINT_INTERVAL)), TRUSTED_PROXIES, UPLOADS_PER_CLIENT,
                MIN_UPLOAD_RATE, UPLOAD_RATE_GRACE, AUDIT_CHECKPOINT_EVERY, AUDIT_CHECKPOINT_INTERVAL);
        GateConfig gate = v.build(() -> GateConfig.DEFAULTS.withWorkers(
                v.find(GATE_WORKERS).orElse(GateConfig.DEFAULTS.workers())).withLease(v.get(GATE_LEASE)),
                GATE_WORKERS, GATE_LEASE);
        ServerConfig.Feeds feeds = v.build(() -> new ServerConfig.Feeds(v.find(ConfigKeys.VULNDB_SOURCES)
                .map(list -> java.util.Arrays.stream(list.split(",")).map(String::strip).toList())
                .orElse(java.util.List.of()), v.get(ConfigKeys.VULNDB_UPDATE_INTERVAL)),
                ConfigKeys.VULNDB_SOURCES, ConfigKeys.VULNDB_UPDATE_INTERVAL);
        return v.build(() -> new ServerConfig(listen.host(), listen.port(), v.get(DATA), v.get(DEV),
                v.get(SHUTDOWN_TIMEOUT), v.get(MAX_CONCURRENT_UPLOADS), v.get(BLOB_MAP_CACHE), limits, storage,
                security, protection, gate, feeds), LISTEN, DATA);
    }

    private static Optional<S3BlobStore.Settings> s3(ConfigValues v) {
        String section = "storage.s3.";
        if (!v.anySetUnder(section)) {
            return Optional.empty();
        }
        v.require(S3_BUCKET, section);
        if (v.isSet(S3_ACCESS_KEY)) {
            v.require(S3_SECRET_KEY, section);
        }
        Optional<URI> endpoint = v.find(S3_ENDPOINT);
        return Optional.of(v.build(() -> new S3BlobStore.Settings(endpoint.orElse(null), v.get(S3_REGION),
                v.get(S3_BUCKET), v.find(S3_PREFIX).orElse(null), v.find(S3_ACCESS_KEY).orElse(null),
                v.find(S3_SECRET_KEY).orElse(null), v.find(S3_PATH_STYLE).orElse(endpoint.isPresent())),
                S3_BUCKET, S3_PREFIX));
    }

    private static Optional<ServerConfig.Postgres> postgres(ConfigValues v) {
        String section = "storage.postgres.";
        if (!v.anySetUnder(section)) {
            return Optional.empty();
        }
        v.require(POSTGRES_URL, section);
        return Optional.of(v.build(() -> new ServerConfig.Postgres(v.get(POSTGRES_URL),
                v.find(POSTGRES_USER).orElse(null), v.find(POSTGRES_PASSWORD).orElse(null),
                v.get(POSTGRES_POOL_SIZE)), POSTGRES_URL, POSTGRES_POOL_SIZE));
    }

    /**
     * Reads a duration such as {@code 30s}, {@code 5m} or {@code 500ms} given outside the configuration (a query
     * parameter, a CLI option), with the same form as configuration durations.
     *
     * @param where names the parameter in the message
     */
    public static Duration duration(String text, String where) {
        try {
            return ConfigType.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** The configuration is wrong; the message names the key, where its value came from and what was expected. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
