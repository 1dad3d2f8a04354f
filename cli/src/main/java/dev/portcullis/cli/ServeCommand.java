package dev.portcullis.cli;

import dev.portcullis.auth.AuthException;
import dev.portcullis.server.ConfigKey;
import dev.portcullis.server.ConfigKeys;
import dev.portcullis.server.ConfigLoader;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import dev.portcullis.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code portcullis serve}: runs a registry node until interrupted, then drains in-flight requests. Its
 * configuration flags are those of {@link ConfigKeys} that declare one, added by {@link ConfigFlags}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = ServeCommand.ConfigFlags.class,
        description = "Run the Portcullis server (registry and quarantine gate). Every setting can also come from"
                + " the configuration file or a PORTCULLIS_* environment variable: see docs/configuration.md.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    /** One option per configuration key with a flag; a value is parsed by the key, like the same value from a file. */
    static final class ConfigFlags implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (ConfigKey<?> key : ConfigKeys.ALL) {
                key.flag().ifPresent(flag -> command.addOption(OptionSpec.builder(flag)
                        .paramLabel(key.type().label())
                        .arity(key.type().isSwitch() ? "0" : "1")
                        .type(key.type().isSwitch() ? boolean.class : String.class)
                        // Help texts are format strings.
                        .description((capitalized(key.description()) + " (default: " + key.defaultText() + "; env "
                                + key.env() + "; config " + key.name() + ").").replace("%", "%%"))
                        .build()));
            }
            return command;
        }

        private static String capitalized(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }

    /** The configuration flags given on this command line, by flag name. */
    private Map<String, String> givenFlags() {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> flags = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            key.flag().map(parsed::matchedOption)
                    .ifPresent(option -> flags.put(key.flag().get(), String.valueOf(option.<Object>getValue())));
        }
        return flags;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), givenFlags());
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
