package dev.portcullis.server;

import dev.portcullis.registry.RegistryLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server needs to start, validated. Defaults are the zero-set-up laptop setting: loopback port 5000,
 * files and SQLite under {@code ./data}.
 *
 * @param host                 interface to listen on
 * @param port                 TCP port; 0 picks a free one (tests)
 * @param dataDir              where blobs and the SQLite database live
 * @param dev                  development mode: no authentication, loud warning
 * @param shutdownTimeout      how long in-flight requests may run on after a stop signal
 * @param maxConcurrentUploads uploads beyond this are answered 429 TOOMANYREQUESTS
 * @param limits               request size limits
 */
public record ServerConfig(String host, int port, Path dataDir, boolean dev, Duration shutdownTimeout,
                           int maxConcurrentUploads, RegistryLimits limits) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final Path DEFAULT_DATA = Path.of("data");

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
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_DATA, false, Duration.ofSeconds(30), 256,
                RegistryLimits.DEFAULTS);
    }

    public ServerConfig withListen(String host, int port) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads, limits);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(host, port, dir, dev, shutdownTimeout, maxConcurrentUploads, limits);
    }

    public ServerConfig withDev(boolean devMode) {
        return new ServerConfig(host, port, dataDir, devMode, shutdownTimeout, maxConcurrentUploads, limits);
    }

    public ServerConfig withMaxConcurrentUploads(int n) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, n, limits);
    }

    public ServerConfig withLimits(RegistryLimits l) {
        return new ServerConfig(host, port, dataDir, dev, shutdownTimeout, maxConcurrentUploads, l);
    }

    public ServerConfig withShutdownTimeout(Duration d) {
        return new ServerConfig(host, port, dataDir, dev, d, maxConcurrentUploads, limits);
    }
}
