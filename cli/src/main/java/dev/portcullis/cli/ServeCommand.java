package dev.portcullis.cli;

import dev.portcullis.auth.AuthException;
import dev.portcullis.server.ConfigLoader;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import dev.portcullis.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code portcullis serve}: runs a registry node until interrupted, then drains in-flight requests. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Portcullis server (registry and quarantine gate).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: 127.0.0.1:5000; env PORTCULLIS_LISTEN).")
    String listen;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory for blobs and the SQLite database (default: ./data; env PORTCULLIS_DATA).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--dev", description = "Development mode: no authentication, plain HTTP. Never use it in"
            + " production.")
    boolean dev;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain to serve HTTPS with.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of the certificate.")
    Path tlsKey;

    @Option(names = "--behind-proxy", description = "TLS ends at a reverse proxy in front: serve plain HTTP and"
            + " trust its X-Forwarded-For/-Proto headers.")
    boolean behindProxy;

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(),
                    new ConfigLoader.Flags(listen, data, dev ? Boolean.TRUE : null, tlsCert, tlsKey,
                            behindProxy ? Boolean.TRUE : null));
            cfg.requireSafeServing();
        } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
            System.err.println("portcullis serve: " + e.getMessage());
            return 2;
        }
        PortcullisServer server;
        try {
            server = new PortcullisServer(cfg, Clock.systemUTC());
        } catch (StorageException e) {
            System.err.println("portcullis serve: cannot open the data: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println("portcullis serve: " + e.getMessage());
            return 2;
        }
        if (!cfg.dev()) {
            Optional<String> generated;
            try {
                generated = server.bootstrapAdmin(Optional.ofNullable(System.getenv("PORTCULLIS_ADMIN_PASSWORD"))
                        .filter(p -> !p.isEmpty()));
            } catch (AuthException e) {
                server.close();
                System.err.println("portcullis serve: PORTCULLIS_ADMIN_PASSWORD: " + e.getMessage());
                return 2;
            }
            // Shown on the terminal once, never logged: the log may be shipped elsewhere.
            generated.ifPresent(p -> System.out.println("Created the first administrator: user 'admin', password "
                    + p + "\nIt is shown only this once. Log in with: portcullis login URL -u admin --password-stdin"));
        }
        Thread shutdown = new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.atError().setCause(e).log("shutdown failed");
            }
        }, "portcullis-shutdown");
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            System.err.println("portcullis serve: cannot listen on " + cfg.host() + ":" + cfg.port() + ": "
                    + rootCause(e).getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(shutdown);
        stopOnSignals(server, cfg.shutdownTimeout());
        if (cfg.dev()) {
            String warning = devWarning(cfg, server.port());
            LOG.warn(warning);
            System.err.println("*** " + warning + " ***");
        }
        server.join();
        // Jetty has stopped; the storage may still be closing in the thread a signal started.
        server.close();
        return 0;
    }

    static String devWarning(ServerConfig cfg, int port) {
        return "INSECURE DEVELOPMENT MODE (--dev): no authentication" + (cfg.security().tls() ? "" : " and no TLS")
                + "; anyone who can reach " + cfg.host() + ":" + port + " can push, pull and administer. Never use"
                + " it outside a laptop or a throw-away test.";
    }

    /**
     * Ctrl-C or TERM: the first signal drains the requests in flight (up to the shutdown timeout) and says so; a
     * second one stops at once, for an operator who cannot wait. The JVM's own handler would run the shutdown hook
     * and ignore every further signal. Cutting requests off is safe: uploads are committed atomically and SQLite
     * survives a stop at any instant.
     */
    private static void stopOnSignals(PortcullisServer server, Duration timeout) {
        AtomicInteger received = new AtomicInteger();
        SignalHandler handler = signal -> {
            if (received.incrementAndGet() == 1) {
                long inFlight = server.requestsInFlight();
                System.err.println("portcullis serve: SIG" + signal.getName() + ": stopping; " + (inFlight == 0
                        ? "no request in flight" : "draining " + inFlight + " request(s) in flight for up to "
                        + timeout.toSeconds() + "s") + " (press Ctrl-C again to stop at once)");
                Thread.ofPlatform().name("portcullis-stop").start(() -> {
                    try {
                        server.close();
                    } catch (Exception e) {
                        LOG.atError().setCause(e).log("shutdown failed");
                    }
                });
            } else {
                System.err.println("portcullis serve: SIG" + signal.getName() + " again: stopping at once; "
                        + server.requestsInFlight() + " request(s) in flight are cut off");
                Runtime.getRuntime().halt(STOPPED_AT_ONCE);
            }
        };
        Signal.handle(new Signal("INT"), handler);
        Signal.handle(new Signal("TERM"), handler);
    }

    /** The exit code of a stop forced by a second signal: 128 + SIGINT, as shells report it. */
    static final int STOPPED_AT_ONCE = 130;

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
