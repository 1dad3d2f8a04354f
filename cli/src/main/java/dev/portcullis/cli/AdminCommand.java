package dev.portcullis.cli;

import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Role;
import dev.portcullis.server.ConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis admin}: teams, users, robots and settings, on a data directory or through a server's API. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage teams, users, robots and settings.",
        subcommands = {AdminCommand.Team.class, AdminCommand.User.class, AdminCommand.Robot.class,
            AdminCommand.Settings.class, AdminCommand.Gc.class})
final class AdminCommand extends CommandGroup {

    /** Runs an admin action, turning refusals into one line on stderr and exit code 1. */
    static int run(Target target, Action<AdminBackend> action) {
        return run(target::open, action);
    }

    /** Runs an action that only reads: a data directory without a database is exit code 2, and is not created. */
    static int read(Target target, Action<AdminBackend> action) {
        return run(target::openExisting, action);
    }

    /** Where an action's backend comes from. */
    @FunctionalInterface
    interface Opener<B extends AdminBackend> {
        B open() throws Exception;
    }

    static <B extends AdminBackend> int run(Opener<B> opener, Action<? super B> action) {
        try (B backend = opener.open()) {
            action.run(backend);
            return 0;
        } catch (DataDirOption.NoDatabase e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        } catch (AuthException | RemoteApi.ApiException | IllegalArgumentException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("portcullis: " + e);
            return 1;
        }
    }

    /** One admin action. */
    @FunctionalInterface
    interface Action<B> {
        void run(B backend) throws Exception;
    }

    @Command(name = "team", description = "Manage teams.", subcommands = Team.Add.class)
    static final class Team extends CommandGroup {

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a team.")
        static final class Add implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "NAME", description = "Team name (a repository path component).")
            String name;

            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    b.addTeam(name);
                    System.out.println("team " + name + " created");
                });
            }
        }
    }

    @Command(name = "user", description = "Manage users.", subcommands = {User.Add.class, User.Grant.class,
        User.Revoke.class})
    static final class User extends CommandGroup {

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
        static final class Add implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--team", paramLabel = "T", description = "Team of a team role.")
            String team;

            @Option(names = "--role", paramLabel = "R", description = "admin, security, auditor, maintainer,"
                    + " developer or reader.")
            String role;

            @Option(names = "--password-stdin", required = true,
                    description = "Read the password from standard input (never from the command line).")
            boolean passwordStdin;

            @Override
            public Integer call() throws IOException {
                String password = readSecret();
                return AdminCommand.run(target, b -> {
                    b.addUser(name, password, Optional.ofNullable(team),
                            Optional.ofNullable(role).map(Role::parse));
                    System.out.println("user " + name + " created" + (role == null ? "" : " as " + role
                            + (team == null ? "" : " of " + team)));
                });
            }
        }

        /** Options shared by grant and revoke. */
        abstract static class RoleChange implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--team", paramLabel = "T", description = "Team of a team role.")
            String team;

            @Option(names = "--role", paramLabel = "R", required = true)
            String role;
        }

        @Command(name = "grant", mixinStandardHelpOptions = true, description = "Give a user a role.")
        static final class Grant extends RoleChange {
            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    b.grant(name, Optional.ofNullable(team), Role.parse(role));
                    System.out.println(name + " now holds " + role + (team == null ? "" : " of " + team));
                });
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a role from a user.")
        static final class Revoke extends RoleChange {
            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    b.revoke(name, Optional.ofNullable(team), Role.parse(role));
                    System.out.println(name + " no longer holds " + role + (team == null ? "" : " of " + team));
                });
            }
        }
    }

    @Command(name = "robot", description = "Manage robot accounts.", subcommands = {Robot.Add.class,
        Robot.Delete.class})
    static final class Robot extends CommandGroup {

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Create a robot account; its secret is printed once, as the last line.")
        static final class Add implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--team", paramLabel = "T", required = true)
            String team;

            @Option(names = "--role", paramLabel = "R", required = true,
                    description = "maintainer, developer or reader.")
            String role;

            @Option(names = "--repository", paramLabel = "PATTERN",
                    description = "Limit to matching repositories (* within a component, ** across); repeatable.")
            List<String> repositories = new ArrayList<>();

            @Option(names = "--expires-in", paramLabel = "DAYS", description = "Expire after this many days.")
            Integer expiresInDays;

            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    String[] robot = b.addRobot(name, team, Role.parse(role), repositories,
                            Optional.ofNullable(expiresInDays).map(d -> Instant.now().plus(Duration.ofDays(d))));
                    System.out.println("robot " + robot[0] + " created; use it as the user name. Its secret is"
                            + " shown only now:");
                    System.out.println(robot[1]);
                });
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a robot account.")
        static final class Delete implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "TEAM+NAME")
            String name;

            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    b.deleteRobot(name);
                    System.out.println("robot " + name + " deleted");
                });
            }
        }
    }

    @Command(name = "settings", description = "Change settings.", subcommands = Settings.AnonymousPull.class)
    static final class Settings extends CommandGroup {

        @Command(name = "anonymous-pull", mixinStandardHelpOptions = true,
                description = "Set the scanned/ repository patterns anyone may pull without credentials (none: off).")
        static final class AnonymousPull implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "PATTERN", arity = "0..*")
            List<String> patterns = new ArrayList<>();

            @Override
            public Integer call() {
                return AdminCommand.run(target, b -> {
                    b.setAnonymousPull(patterns);
                    System.out.println(patterns.isEmpty() ? "anonymous pull is off"
                            : "anonymous pull allowed for " + String.join(", ", patterns));
                });
            }
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove the bytes of blobs no repository links and no manifest refers to, in the running"
                    + " server (only the server can keep it from racing the uploads it is linking).")
    static final class Gc implements Callable<Integer> {
        @Option(names = "--server", paramLabel = "URL", required = true, converter = ServerUrl.class,
                description = "URL of the running server (log in first with 'portcullis login').")
        URI server;

        @Option(names = "--auth-file", paramLabel = "FILE",
                description = "Credentials file written by 'portcullis login' (default: ~/.docker/config.json).")
        Path authFile;

        @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM certificate of a private CA to trust.")
        Path caCert;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h",
                description = "Leave blobs written within this time alone (uploads on other nodes may be about to"
                        + " link them); as 30m or 24h. Default: ${DEFAULT-VALUE}.")
        String grace;

        @Option(names = "--dry-run", description = "Report what would be removed; remove nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Duration period;
            try {
                period = ConfigLoader.duration(grace, "--grace");
            } catch (ConfigLoader.ConfigException e) {
                System.err.println("portcullis: " + e.getMessage());
                return 2;
            }
            return AdminCommand.run(() -> new RemoteBackend(server, AuthFile.resolve(authFile),
                    TrustedCertificates.sslContext(caCert)),
                    b -> System.out.println(b.collectGarbage(period, dryRun)));
        }
    }

    /** Reads one line from standard input: passwords never go on a command line, where ps and history see them. */
    static String readSecret() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new IOException("expected the password on standard input");
        }
        return line;
    }
}
