package dev.portcullis.cli;

import dev.portcullis.auth.AuthException;
import dev.portcullis.server.ConfigLoader;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import dev.portcullis.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        if (cfg.dev()) {
            String warning = "INSECURE DEVELOPMENT MODE (--dev): no authentication and no TLS; anyone who can reach "
                    + cfg.host() + ":" + server.port() + " can push, pull and administer. Never use it outside a"
                    + " laptop or a throw-away test.";
            LOG.warn(warning);
            System.err.println("*** " + warning + " ***");
        }
        server.join();
        return 0;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
