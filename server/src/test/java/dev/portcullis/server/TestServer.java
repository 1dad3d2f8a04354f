package dev.portcullis.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The real {@link PortcullisServer} on a free loopback port with its own temporary data directory. */
final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final PortcullisServer server;
    private boolean closed;

    private TestServer(Path dataDir, PortcullisServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    static TestServer start() {
        return start(c -> c);
    }

    /** Starts a server whose default test configuration is adjusted by {@code customize}. */
    static TestServer start(UnaryOperator<ServerConfig> customize) {
        try {
            return startIn(Files.createTempDirectory("portcullis-it-"), customize);
        } catch (IOException e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    /** Starts a server on {@code dir}, a data directory a stopped test server left (a restart). */
    static TestServer startIn(Path dir, UnaryOperator<ServerConfig> customize) {
        try {
            ServerConfig config = customize.apply(ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(dir)
                    .withDev(true).withShutdownTimeout(Duration.ofSeconds(20)));
            PortcullisServer server = new PortcullisServer(config, Clock.systemUTC());
            server.start();
            return new TestServer(dir, server);
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
    }

    PortcullisServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    Path dataDir() {
        return dataDir;
    }

    Http http() {
        return new Http(this);
    }

    /** Stops the server gracefully (in-flight requests finish) but keeps the data directory. */
    void stop() throws Exception {
        if (!closed) {
            closed = true;
            server.close();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        deleteTree(dataDir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
