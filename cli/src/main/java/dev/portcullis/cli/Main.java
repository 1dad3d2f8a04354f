package dev.portcullis.cli;

import java.io.IOException;
import java.io.InputStream;
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

    /** Runs the command line and returns its exit code; usage errors are exit code 2 with one clear message. */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.getCommandSpec().exitCodeOnInvalidInput(2);
        return cli.execute(args);
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"portcullis " + p.getProperty("version", "unknown")};
        }
    }
}
