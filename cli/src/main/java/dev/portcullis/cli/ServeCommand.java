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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

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
