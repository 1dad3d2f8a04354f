package dev.portcullis.cli;

import dev.portcullis.server.ConfigLoader;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
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

    @Option(names = "--dev", description = "Development mode: no authentication. Never use it in production.")
    boolean dev;

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(),
                    new ConfigLoader.Flags(listen, data, dev ? Boolean.TRUE : null));
        } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
            System.err.println("portcullis serve: " + e.getMessage());
            return 2;
        }
        PortcullisServer server = new PortcullisServer(cfg, Clock.systemUTC());
        Thread shutdown = new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.atError().setCause(e).log("shutdown failed");
            }
        }, "portcullis-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        server.start();
        LOG.warn("WARNING: authentication is not implemented yet: anyone who can reach this port can push and pull;"
                + " keep it on loopback or a trusted network");
        server.join();
        return 0;
    }
}
