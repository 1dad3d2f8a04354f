package dev.portcullis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command. Each subcommand is a class of this package, listed here. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Self-hosted OCI registry with a built-in quarantine gate.",
        subcommands = {CommandLine.HelpCommand.class, ServeCommand.class, DbCommand.class, ScanCommand.class,
            AdminCommand.class, AuditCommand.class, LoginCommand.class})
public final class Main extends CommandGroup {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code. Usage errors, and failures no command turned into its own
     * message (an unreadable file, an unreachable server), are exit code 2 with one line on stderr, not a stack trace.
     */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.getCommandSpec().exitCodeOnInvalidInput(2);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("portcullis: " + describe(e));
            return 2;
        });
        return cli.execute(args);
    }

    /** A failure in words: file errors carry only the path as their message, so they are named here. */
    static String describe(Exception e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException f -> "no such file: " + f.getFile();
            case java.nio.file.AccessDeniedException f -> "permission denied: " + f.getFile();
            case java.net.ConnectException c -> "cannot connect to the server"
                    + (c.getMessage() == null ? "" : ": " + c.getMessage());
            case javax.net.ssl.SSLHandshakeException h when String.valueOf(h.getMessage()).contains("PKIX") ->
                    "the server's TLS certificate is not signed by a trusted authority; if it comes from a private"
                            + " CA, give that CA's certificate with --ca-cert FILE";
            case javax.net.ssl.SSLException h -> "TLS with the server failed: " + h.getMessage();
            default -> e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getMessage();
        };
    }

    /** The version Maven wrote into the jar ({@code unknown} if it is missing, as in a bare class directory). */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jar's version.properties", e);
        }
        return p.getProperty("version", "unknown");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"portcullis " + version()};
        }
    }
}
