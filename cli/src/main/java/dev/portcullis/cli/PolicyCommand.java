package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis policy}: validate policy documents offline, and apply, show, list and dry-run them on a server. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Validate, apply, show and dry-run gate"
        + " policies.", subcommands = {PolicyCommand.Validate.class, PolicyCommand.Apply.class,
            PolicyCommand.Show.class, PolicyCommand.History.class, PolicyCommand.DryRun.class})
final class PolicyCommand extends CommandGroup {

    /** Reads and validates a document; on problems prints each as {@code FILE:line:column: message} and returns null. */
    static PolicyDocument read(Path file) throws Exception {
        String yaml = Files.readString(file);
        try {
            return PolicyDocuments.parse(yaml, file.toString());
        } catch (PolicyException e) {
            System.err.println(e.getMessage());
            System.err.println("portcullis policy: " + e.problems().size() + " problem(s) in " + file);
            return null;
        }
    }

    /** The API path of an owner's policy: {@code organisation} or {@code team:<name>}. */
    static String path(Owner owner) {
        return "/api/v1/policies/" + RemoteApi.enc(owner.key());
    }

    static ObjectNode yamlBody(Path file) throws Exception {
        ObjectNode body = Json.object();
        body.put("yaml", Files.readString(file));
        return body;
    }

    /** Runs a server call, printing its refusal as one line with exit code 1. */
    static int remote(RemoteAction action) {
        try {
            return action.run();
        } catch (RemoteApi.ApiException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("portcullis: " + Main.describe(e));
            return 2;
        }
    }

    /** A call to the server that returns the exit code. */
    @FunctionalInterface
    interface RemoteAction {
        int run() throws Exception;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a policy file offline:"
            + " schema and CEL errors with line and column; exit 1 when it has any.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            PolicyDocument doc = read(file);
            if (doc == null) {
                return 1;
            }
            System.out.println(file + ": valid policy of " + doc.owner() + ", version " + doc.version() + ", "
                    + doc.rules().size() + " rule(s)");
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Store a policy file as its owner's"
            + " new current version (the server records you as its author).")
    static final class Apply implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() throws Exception {
            PolicyDocument doc = read(file);
            if (doc == null) {
                return 1;
            }
            return remote(() -> {
                JsonNode r = server.connect().send("PUT", path(doc.owner()), Optional.of(yamlBody(file)));
                System.out.println("applied " + r.path("owner").asText() + " version " + r.path("version").asInt()
                        + " (previous: " + r.path("previousVersion").asText("none") + ")");
                return 0;
            });
        }
    }

    /** {@code --team T}, or the organisation's policy without it. */
    static final class OwnerOption {
        @Option(names = "--team", paramLabel = "TEAM", description = "A team's policy (default: the organisation's).")
        String team;

        Owner owner() {
            return team == null ? Owner.organisation() : Owner.team(team);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the current policy as YAML (as"
            + " 'policy validate' and 'policy apply' read it).")
    static final class Show implements Callable<Integer> {
        @Mixin
        OwnerOption owner;

        @Option(names = "--version", paramLabel = "N", description = "An earlier version instead of the current one.")
        Integer version;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() {
            return remote(() -> {
                String p = path(owner.owner()) + (version == null ? "" : "/versions/" + version);
                JsonNode r = server.connect().send("GET", p, Optional.empty());
                System.out.print(r.path("yaml").asText());
                return 0;
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "List a policy's versions: who"
            + " changed it and when.")
    static final class History implements Callable<Integer> {
        @Mixin
        OwnerOption owner;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() {
            return remote(() -> {
                JsonNode r = server.connect().send("GET", path(owner.owner()) + "/versions", Optional.empty());
                System.out.printf("%-8s %-21s %-20s %s%n", "VERSION", "CREATED", "AUTHOR", "RULES");
                for (JsonNode v : r.path("versions")) {
                    System.out.printf("%-8d %-21s %-20s %d%n", v.path("version").asInt(),
                            v.path("createdAt").asText(), v.path("author").asText(), v.path("rules").asInt());
                }
                return 0;
            });
        }
    }

    @Command(name = "dry-run", mixinStandardHelpOptions = true, description = "Judge every stored scan result under"
            + " a proposed policy (no re-scan, nothing changed) and list, per team, the images whose verdict would"
            + " change and why. Exit 0 when it ran.")
    static final class DryRun implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Mixin
        ServerOption server;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json.")
        String format;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("table") && !format.equals("json")) {
                System.err.println("portcullis policy dry-run: --format is table or json, not '" + format + "'");
                return 2;
            }
            if (read(file) == null) {
                return 1;
            }
            return remote(() -> {
                JsonNode r = server.connect().send("POST", "/api/v1/policies/dry-run", Optional.of(yamlBody(file)));
                if (format.equals("json")) {
                    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
                    return 0;
                }
                int changed = 0;
                for (JsonNode team : r.path("teams")) {
                    System.out.println("team " + team.path("team").asText() + ":");
                    for (JsonNode c : team.path("changes")) {
                        changed++;
                        System.out.println("  " + c.path("repository").asText() + (c.hasNonNull("tag") ? ":"
                                + c.path("tag").asText() : "") + " " + c.path("digest").asText() + ": "
                                + c.path("before").asText() + " -> " + c.path("after").asText());
                        for (JsonNode a : c.path("added")) {
                            System.out.println("      + " + a.path("rule").asText() + ": " + a.path("item").asText()
                                    + " " + a.path("message").asText());
                        }
                        for (JsonNode a : c.path("removed")) {
                            System.out.println("      - " + a.path("rule").asText() + ": " + a.path("item").asText()
                                    + " " + a.path("message").asText());
                        }
                    }
                }
                System.out.println(r.path("evaluated").asInt() + " stored image(s) judged, " + changed
                        + " verdict(s) would change");
                return 0;
            });
        }
    }
}
