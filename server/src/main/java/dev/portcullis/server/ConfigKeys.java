package dev.portcullis.server;

import dev.portcullis.auth.AuthConfig;
import dev.portcullis.gate.GateConfig;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.registry.RegistryLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every configuration key of {@code portcullis serve}, each declared once: its name in the YAML file, environment
 * variable, flag, unit, range, default and description. {@link ConfigValues} reads the sources by this table,
 * {@link ConfigLoader} builds the records from it, {@code serve} derives its flags from it, and
 * {@code docs/configuration.md} is checked against it.
 *
 * <p>A new key is a constant here, an entry in {@link #ALL}, one line in {@link ConfigLoader}, and a row in the
 * mapping test of the record it belongs to.
 */
public final class ConfigKeys {
    /** A listen address, {@code HOST:PORT}; an IPv6 host is written in brackets. */
    record HostPort(String host, int port) {
        HostPort {
            if (host.isBlank()) {
                throw new IllegalArgumentException("the host is empty");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0 to 65535");
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + text + "' must be HOST:PORT, such as 127.0.0.1:5000");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' must be HOST:PORT with a port from 0 to 65535");
            }
        }
    }

    private static final ConfigType<HostPort> HOST_PORT = new ConfigType<>("HOST:PORT",
            "HOST:PORT, such as 127.0.0.1:5000 or [::]:5000; port 0 picks a free one", HostPort::parse,
            HostPort::toString, false);

    static final ConfigKey<HostPort> LISTEN = ConfigKey.of("listen", "PORTCULLIS_LISTEN", HOST_PORT,
            new HostPort("127.0.0.1", 5000), "address to serve on")
            .withFlag("--listen");
    static final ConfigKey<Path> DATA = ConfigKey.of("data", "PORTCULLIS_DATA", ConfigType.path("DIR"),
            Path.of("data"), "data directory: blobs and the SQLite database").withFlag("--data");
    static final ConfigKey<Boolean> DEV = ConfigKey.of("dev", "PORTCULLIS_DEV", ConfigType.BOOLEAN, false,
            "development mode: no authentication, plain HTTP; never in production").withFlag("--dev");
    static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.of("shutdownTimeout",
            "PORTCULLIS_SHUTDOWN_TIMEOUT", ConfigType.duration(Duration.ZERO, Duration.ofHours(1)),
            Duration.ofSeconds(30), "how long in-flight requests may finish after a stop signal");
    static final ConfigKey<Integer> MAX_CONCURRENT_UPLOADS = ConfigKey.of("maxConcurrentUploads",
            "PORTCULLIS_MAX_CONCURRENT_UPLOADS", ConfigType.integer(1, 100_000), 256,
            "uploads in flight at once; more are answered 429 TOOMANYREQUESTS");
    /** Room for the hot layers of a few images; pulls cycling through more than this keep nothing (MappedBlobs). */
    static final ConfigKey<DataSize> BLOB_MAP_CACHE = ConfigKey.of("blobMapCache", "PORTCULLIS_BLOB_MAP_CACHE",
            ConfigType.size(DataSize.ofBytes(0), DataSize.ofGiB(1 << 20)), DataSize.ofMiB(640),
            "memory mappings of blobs pulled again and again, kept for the next pulls while the recently pulled"
                    + " blobs fit (their pages count in RSS); 0B turns it off");

    static final ConfigKey<DataSize> MAX_BLOB_SIZE = ConfigKey.of("limits.maxBlobSize", "PORTCULLIS_MAX_BLOB_SIZE",
            ConfigType.size(DataSize.ofBytes(1), DataSize.ofGiB(1 << 20)),
            DataSize.ofBytes(RegistryLimits.DEFAULTS.maxBlobBytes()),
            "largest blob accepted");
    static final ConfigKey<DataSize> MAX_MANIFEST_SIZE = ConfigKey.of("limits.maxManifestSize",
            "PORTCULLIS_MAX_MANIFEST_SIZE",
            ConfigType.size(DataSize.ofBytes(1), DataSize.ofBytes(ManifestParser.MAX_MANIFEST_BYTES)),
            DataSize.ofBytes(RegistryLimits.DEFAULTS.maxManifestBytes()), "largest manifest accepted; at most the largest manifest Portcullis reads");

    static final ConfigKey<URI> S3_ENDPOINT = ConfigKey.optional("storage.s3.endpoint", "PORTCULLIS_S3_ENDPOINT",
            ConfigType.httpUrl(), "AWS S3", "S3-compatible object storage for blobs (setting any storage.s3 key"
                    + " moves blobs there from data/blobs)");
    static final ConfigKey<String> S3_REGION = ConfigKey.of("storage.s3.region", "PORTCULLIS_S3_REGION",
            ConfigType.text("REGION", Pattern.compile("[a-z0-9-]{1,64}"), "a region name such as eu-west-1"),
            "us-east-1", "region of the bucket");
    static final ConfigKey<String> S3_BUCKET = ConfigKey.optional("storage.s3.bucket", "PORTCULLIS_S3_BUCKET",
            ConfigType.text("BUCKET", Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
                    "a bucket name (3-63 characters of a-z 0-9 . -)"),
            "required when any storage.s3 key is set", "bucket holding the blobs");
    static final ConfigKey<String> S3_PREFIX = ConfigKey.optional("storage.s3.prefix", "PORTCULLIS_S3_PREFIX",
            ConfigType.text("PREFIX", Pattern.compile("[A-Za-z0-9!_.*'()/-]{1,512}"),
                    "an object key prefix such as registry/"),
            "the bucket's root", "object key prefix under which blobs are stored");
    static final ConfigKey<String> S3_ACCESS_KEY = ConfigKey.optional("storage.s3.accessKey",
            "PORTCULLIS_S3_ACCESS_KEY", ConfigType.text("KEY", Pattern.compile("[A-Za-z0-9+/=_.-]{1,256}"),
                    "an access key id"),
            "the AWS default credentials", "access key id; its secret comes from storage.s3.secretKey");
    static final ConfigKey<String> S3_SECRET_KEY = ConfigKey.optional("storage.s3.secretKey",
            "PORTCULLIS_S3_SECRET_KEY", ConfigType.secretText(), "required when storage.s3.accessKey is set",
            "secret access key (environment only)");
    static final ConfigKey<Boolean> S3_PATH_STYLE = ConfigKey.optional("storage.s3.pathStyle",
            "PORTCULLIS_S3_PATH_STYLE", ConfigType.BOOLEAN, "true when an endpoint is set, else false",
            "address the bucket in the path (MinIO and most S3-compatible stores) rather than the host name");

    static final ConfigKey<String> POSTGRES_URL = ConfigKey.optional("storage.postgres.url", "PORTCULLIS_DB_URL",
            ConfigType.text("URL", Pattern.compile("jdbc:postgresql:\\S+"),
                    "a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/portcullis"),
            "required when any storage.postgres key is set", "PostgreSQL database for metadata (setting any"
                    + " storage.postgres key moves metadata there from SQLite in the data directory)");
    static final ConfigKey<String> POSTGRES_USER = ConfigKey.optional("storage.postgres.user", "PORTCULLIS_DB_USER",
            ConfigType.text("USER", Pattern.compile("\\S{1,63}"), "a database user name"),
            "the driver's default", "database user");
    static final ConfigKey<String> POSTGRES_PASSWORD = ConfigKey.optional("storage.postgres.password",
            "PORTCULLIS_DB_PASSWORD", ConfigType.secretText(), "no password", "database password (environment only)");
    static final ConfigKey<Integer> POSTGRES_POOL_SIZE = ConfigKey.of("storage.postgres.poolSize",
            "PORTCULLIS_DB_POOL_SIZE", ConfigType.integer(1, 1000), 16, "database connections this node keeps open");

    static final ConfigKey<Path> TLS_CERT = ConfigKey.optional("tls.cert", "PORTCULLIS_TLS_CERT",
            ConfigType.path("FILE"), "no TLS", "PEM certificate chain to serve HTTPS with").withFlag("--tls-cert");
    static final ConfigKey<Path> TLS_KEY = ConfigKey.optional("tls.key", "PORTCULLIS_TLS_KEY",
            ConfigType.path("FILE"), "no TLS", "PEM private key of that certificate").withFlag("--tls-key");
    static final ConfigKey<Boolean> BEHIND_PROXY = ConfigKey.of("behindProxy", "PORTCULLIS_BEHIND_PROXY",
            ConfigType.BOOLEAN, false, "TLS ends at a reverse proxy in front: plain HTTP is served, X-Forwarded-Proto"
                    + " and the proxy's own X-Forwarded-For entry believed").withFlag("--behind-proxy");
    static final ConfigKey<String> PUBLIC_URL = ConfigKey.optional("auth.publicUrl", "PORTCULLIS_PUBLIC_URL",
            ConfigType.text("URL", Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+(/[A-Za-z0-9._~/-]*)?"),
                    "a URL such as https://registry.example.com"),
            "taken from each request", "URL clients use; the token realm is this URL followed by /token");
    static final ConfigKey<Duration> TOKEN_LIFETIME = ConfigKey.of("auth.tokenLifetime", "PORTCULLIS_TOKEN_LIFETIME",
            // AuthConfig's own bounds, which it checks again.
            ConfigType.duration(Duration.ofSeconds(30), Duration.ofHours(1)), AuthConfig.DEFAULTS.tokenLifetime(),
            "lifetime of access tokens");

    static final ConfigKey<Integer> TRUSTED_PROXIES = ConfigKey.of("protection.trustedProxies",
            "PORTCULLIS_TRUSTED_PROXIES", ConfigType.integer(1, 16), 1, "proxies in front that append to"
                    + " X-Forwarded-For (with behindProxy); the client is the entry this many places from the right");
    static final ConfigKey<Integer> UPLOADS_PER_CLIENT = ConfigKey.of("protection.uploadsPerClient",
            "PORTCULLIS_UPLOADS_PER_CLIENT", ConfigType.integer(1, 100_000), 32, "upload requests in flight per"
                    + " principal (a client address gets four times as many, shared by its principals; in dev mode,"
                    + " where everyone is one principal, the address gets this many); more are answered 429"
                    + " TOOMANYREQUESTS");
    static final ConfigKey<DataSize> MIN_UPLOAD_RATE = ConfigKey.of("protection.minUploadRate",
            "PORTCULLIS_MIN_UPLOAD_RATE", ConfigType.size(DataSize.ofBytes(0), DataSize.ofGiB(1)),
            DataSize.ofBytes(1024), "per second: an upload body slower than this on average (judged after"
                    + " protection.uploadRateGrace), or stalled that long, is dropped; 0B turns it off");
    static final ConfigKey<Duration> UPLOAD_RATE_GRACE = ConfigKey.of("protection.uploadRateGrace",
            "PORTCULLIS_UPLOAD_RATE_GRACE", ConfigType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            Duration.ofSeconds(20), "how long an upload body may take before its rate is judged");
    static final ConfigKey<Integer> AUDIT_CHECKPOINT_EVERY = ConfigKey.of("protection.auditCheckpointEvery",
            "PORTCULLIS_AUDIT_CHECKPOINT_EVERY", ConfigType.integer(1, 1_000_000), 64,
            "a signed audit checkpoint at least every this many entries");
    static final ConfigKey<Duration> AUDIT_CHECKPOINT_INTERVAL = ConfigKey.of("protection.auditCheckpointInterval",
            "PORTCULLIS_AUDIT_CHECKPOINT_INTERVAL", ConfigType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            Duration.ofMinutes(1), "longest an audit entry stays unanchored (there is also one at shutdown)");

    static final ConfigKey<Integer> GATE_WORKERS = ConfigKey.optional("gate.workers", "PORTCULLIS_GATE_WORKERS",
            ConfigType.integer(1, 256), "the number of cores", "scan jobs run at once on this node");
    static final ConfigKey<Duration> GATE_LEASE = ConfigKey.of("gate.lease", "PORTCULLIS_GATE_LEASE",
            ConfigType.duration(Duration.ofSeconds(5), Duration.ofDays(1)), GateConfig.DEFAULTS.lease(),
            "how long a taken scan job stays this node's without a renewal: a dead node's jobs pass to another after it");

    static final ConfigKey<String> VULNDB_SOURCES = ConfigKey.optional("vulndb.sources", "PORTCULLIS_VULNDB_SOURCES",
            ConfigType.text("LIST", java.util.regex.Pattern.compile("[^\\s,]+(\\s*,\\s*[^\\s,]+)*"),
                    "comma-separated feed URLs or local paths"), "no automatic updates",
            "feeds (OSV, Debian, Alpine files, directories or zips, signed offline bundles) the server imports every"
                    + " vulndb.updateInterval; bundles are checked against DATA/keys/bundle-signing.pub");
    static final ConfigKey<Duration> VULNDB_UPDATE_INTERVAL = ConfigKey.of("vulndb.updateInterval",
            "PORTCULLIS_VULNDB_UPDATE_INTERVAL", ConfigType.duration(Duration.ofSeconds(1), Duration.ofDays(30)),
            Duration.ofHours(6), "how often the configured sources are imported (conditional downloads)");

    /** The table, in the order of the reference. A key missing here is refused by {@link ConfigValues#get}. */
    public static final List<ConfigKey<?>> ALL = List.of(LISTEN, DATA, DEV, SHUTDOWN_TIMEOUT, MAX_CONCURRENT_UPLOADS,
            BLOB_MAP_CACHE, MAX_BLOB_SIZE, MAX_MANIFEST_SIZE, S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_PREFIX,
            S3_ACCESS_KEY, S3_SECRET_KEY, S3_PATH_STYLE, POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD,
            POSTGRES_POOL_SIZE, TLS_CERT, TLS_KEY, BEHIND_PROXY, PUBLIC_URL, TOKEN_LIFETIME, TRUSTED_PROXIES,
            UPLOADS_PER_CLIENT, MIN_UPLOAD_RATE, UPLOAD_RATE_GRACE, AUDIT_CHECKPOINT_EVERY, AUDIT_CHECKPOINT_INTERVAL,
            GATE_WORKERS, GATE_LEASE, VULNDB_SOURCES, VULNDB_UPDATE_INTERVAL);

    private ConfigKeys() {
    }
}
