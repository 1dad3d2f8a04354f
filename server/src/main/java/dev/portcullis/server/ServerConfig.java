package dev.portcullis.server;

import dev.portcullis.gate.GateConfig;
import dev.portcullis.registry.RegistryLimits;
import dev.portcullis.storage.S3BlobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server needs to start, validated. {@link ConfigLoader} builds it from the keys of
 * {@link ConfigKeys}, where every default is declared: the zero-set-up laptop setting, loopback port 5000, files and
 * SQLite under {@code ./data}.
 *
 * @param host                 interface to listen on
 * @param port                 TCP port; 0 picks a free one (tests)
 * @param dataDir              where blobs and the SQLite database live
 * @param dev                  development mode: no authentication, loud warning
 * @param shutdownTimeout      how long in-flight requests may run on after a stop signal
 * @param maxConcurrentUploads uploads beyond this are answered 429 TOOMANYREQUESTS
 * @param blobMapCache         bytes of blob memory mappings kept between pulls ({@link MappedBlobs}); 0: none
 * @param limits               request size limits
 * @param storage              where blobs and metadata live when not under {@code dataDir} (scale-out)
 * @param security             TLS, proxy and token settings
 * @param protection           bounds against one client starving the others, and the audit checkpoint schedule
 * @param gate                 the quarantine gate's workers, leases and retries
 * @param feeds                the feed sources the server imports by itself, and how often
 */
public record ServerConfig(String host, int port, Path dataDir, boolean dev, Duration shutdownTimeout,
                           int maxConcurrentUploads, DataSize blobMapCache, RegistryLimits limits,
                           Storage storage, Security security, Protection protection, GateConfig gate,
                           Feeds feeds) {

    /**
     * Shared storage for stateless nodes: blobs in S3-compatible object storage and metadata in PostgreSQL. Each is
     * optional; what is absent stays under the data directory.
     */
    public record Storage(Optional<S3BlobStore.Settings> s3, Optional<Postgres> postgres) {
        public static final Storage EMBEDDED = new Storage(Optional.empty(), Optional.empty());
    }

    /** A PostgreSQL database; the password comes from the environment, never from a file that might be shared. */
    public record Postgres(String jdbcUrl, String user, String password, int poolSize) {
        public Postgres {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("database url must start with jdbc:postgresql:, got " + jdbcUrl);
            }
            if (poolSize <= 0) {
                throw new IllegalArgumentException("database pool size must be positive");
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL " + jdbcUrl + " user=" + user;
        }
    }

    /**
     * How clients reach the server and how long their tokens live.
     *
     * @param tlsCert       PEM certificate chain to serve HTTPS with
     * @param tlsKey        PEM private key of that certificate
     * @param behindProxy   TLS ends at a proxy in front: plain HTTP is allowed and X-Forwarded-For/-Proto believed
     * @param publicUrl     the URL clients use (the token realm is derived from it); default: from each request
     * @param tokenLifetime how long an access token is valid
     */
    public record Security(Optional<Path> tlsCert, Optional<Path> tlsKey, boolean behindProxy,
                           Optional<String> publicUrl, Duration tokenLifetime) {
        public Security {
            if (tlsCert.isPresent() != tlsKey.isPresent()) {
                throw new IllegalArgumentException("TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
            }
            if (publicUrl.isPresent() && !publicUrl.get().matches("https?://[A-Za-z0-9.\\-\\[\\]:]+(/[A-Za-z0-9._~/-]*)?")) {
                throw new IllegalArgumentException("public URL must look like https://registry.example.com, got "
                        + publicUrl.get());
            }
        }

        public boolean tls() {
            return tlsCert.isPresent();
        }
    }

    /**
     * Bounds that keep one client from starving the others, and when the audit log is anchored.
     *
     * @param trustedProxies          how many proxies in front append to X-Forwarded-For (with --behind-proxy); the
     *                                client is the entry this many places from the right
     * @param uploadsPerClient        upload requests in flight per principal, and per client address
     * @param minUploadRate           amount per second an upload body must average once {@code uploadRateGrace} has
     *                                passed (and the longest it may stall); slower bodies are dropped
     * @param uploadRateGrace         how long an upload body may take before its rate is judged
     * @param auditCheckpointEvery    a signed audit checkpoint at least every this many entries
     * @param auditCheckpointInterval and at least this often while entries are unanchored (and at shutdown)
     */
    public record Protection(int trustedProxies, int uploadsPerClient, DataSize minUploadRate,
                             Duration uploadRateGrace, int auditCheckpointEvery, Duration auditCheckpointInterval) {
        public Protection {
            if (trustedProxies < 1 || trustedProxies > 16) {
                throw new IllegalArgumentException("trustedProxies must be between 1 and 16, got " + trustedProxies);
            }
            if (uploadsPerClient < 1) {
                throw new IllegalArgumentException("uploadsPerClient must be positive, got " + uploadsPerClient);
            }
            if (minUploadRate == null) {
                throw new IllegalArgumentException("minUploadRate must be set");
            }
            if (uploadRateGrace.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("uploadRateGrace must be at least 1s, got " + uploadRateGrace);
            }
            if (auditCheckpointEvery < 1 || auditCheckpointEvery > 1_000_000) {
                throw new IllegalArgumentException("auditCheckpointEvery must be between 1 and 1000000 entries, got "
                        + auditCheckpointEvery);
            }
            if (auditCheckpointInterval.compareTo(Duration.ofSeconds(1)) < 0
                    || auditCheckpointInterval.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("auditCheckpointInterval must be between 1s and 1 day, got "
                        + auditCheckpointInterval);
            }
        }
    }

    /**
     * Refuses to serve credentials over plain HTTP: outside development mode, either TLS is configured here or
     * it ends at a proxy in front ({@code --behind-proxy}).
     */
    public void requireSafeServing() {
        if (!dev && !security.tls() && !security.behindProxy()) {
            throw new IllegalArgumentException("refusing to serve passwords and tokens over plain HTTP: give"
                    + " --tls-cert FILE --tls-key FILE, or --behind-proxy when TLS ends at a proxy in front, or --dev"
                    + " for an insecure local registry without authentication");
        }
    }

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("listen host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be between 0 and 65535, got " + port);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("data directory must be set");
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must not be negative");
        }
        if (maxConcurrentUploads <= 0) {
            throw new IllegalArgumentException("maxConcurrentUploads must be positive");
        }
        if (blobMapCache == null || limits == null || storage == null || security == null || protection == null
                || gate == null || feeds == null) {
            throw new IllegalArgumentException("blobMapCache, limits, storage, security, protection and gate must be set");
        }
    }

    /** The configuration when nothing is configured: every key at its default. */
    public static ServerConfig defaults() {
        return ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
    }

    public ServerConfig withListen(String h, int p) {
        return new ServerConfig(h, p, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, gate, feeds);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(host, port, dir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, gate, feeds);
    }

    public ServerConfig withDev(boolean devMode) {
        return new ServerConfig(host, port, dataDir, devMode, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, gate, feeds);
    }

    public ServerConfig withMaxConcurrentUploads(int n) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, n, blobMapCache, limits, storage, security, protection, gate, feeds);
    }

    public ServerConfig withBlobMapCache(DataSize bytes) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads, bytes, limits, storage,
                security, protection, gate, feeds);
    }

    public ServerConfig withLimits(RegistryLimits l) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, l, storage, security, protection, gate, feeds);
    }

    public ServerConfig withShutdownTimeout(Duration d) {
        return new ServerConfig(host, port, dataDir, dev, d, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, gate, feeds);
    }

    public ServerConfig withSecurity(Security sec) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, sec, protection, gate, feeds);
    }

    public ServerConfig withProtection(Protection p) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, p, gate, feeds);
    }

    public ServerConfig withGate(GateConfig g) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, g, feeds);
    }

    public ServerConfig withFeeds(Feeds f) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, storage, security, protection, gate, f);
    }

    /** Feed sources (URLs or local paths) imported every {@code interval}; none: no automatic updates. */
    public record Feeds(java.util.List<String> sources, Duration interval) {
        public Feeds {
            sources = java.util.List.copyOf(sources);
        }
    }

    public ServerConfig withStorage(Storage s) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads,
                blobMapCache, limits, s, security, protection, gate, feeds);
    }
}
