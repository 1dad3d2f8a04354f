package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis exception add|list|revoke}: accepted vulnerabilities. Granting or revoking one re-judges the images
 * it touches from their stored scan results, so a rejected image it covers is promoted without a new push.
 */
@Command(name = "exception", mixinStandardHelpOptions = true, description = "Grant, list and revoke exceptions"
        + " (accepted vulnerabilities).", subcommands = {ExceptionCommand.Add.class, ExceptionCommand.List.class,
            ExceptionCommand.Revoke.class})
final class ExceptionCommand extends CommandGroup {

    /**
     * The end of an exception: {@code 2027-01-31} means through that day (until the next midnight UTC); a full time
     * such as {@code 2027-01-31T12:00:00Z} is taken as it is.
     */
    static Instant expiry(String text) {
        try {
            return text.contains("T") ? Instant.parse(text)
                    : LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--expires '" + text + "' is not a date such as 2027-01-31 or a UTC"
                    + " time such as 2027-01-31T12:00:00Z");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Accept one advisory (matched through"
            + " its aliases) for a team, a repository pattern or one image digest, until it expires.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ServerOption server;

        @Option(names = "--team", paramLabel = "TEAM", description = "The team whose images it covers.")
        String team;

        @Option(names = "--organisation", description = "Cover every team's images (the security role only).")
        boolean organisation;

        @Option(names = "--advisory", paramLabel = "ID", required = true,
                description = "The advisory: CVE-…, GHSA-… or any alias.")
        String advisory;

        @Option(names = "--expires", paramLabel = "DATE", required = true,
                description = "Last day it applies (UTC), e.g. 2027-01-31; within the organisation's bounds.")
        String expires;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why it is acceptable.")
        String reason;

        @Option(names = "--ticket", paramLabel = "URL", required = true, description = "Where it was discussed.")
        String ticket;

        @ArgGroup(exclusive = true)
        Narrower narrower;

        /** What narrows the scope below the team. */
        static final class Narrower {
            @Option(names = "--repository", paramLabel = "PATTERN",
                    description = "Only repositories matching this pattern, e.g. acme/web or acme/* ('**' spans /).")
            String repository;

            @Option(names = "--digest", paramLabel = "DIGEST", description = "Only this image digest.")
            String digest;
        }

        @Option(names = "--purl", paramLabel = "PATTERN",
                description = "Only packages matching this package URL pattern, e.g. pkg:maven/org.apache.logging.log4j/*.")
        String purl;

        @Override
        public Integer call() {
            if (organisation == (team != null)) {
                System.err.println("portcullis exception add: give --team TEAM, or --organisation for every team");
                return 2;
            }
            ObjectNode body = Json.object();
            try {
                body.put("expiresAt", expiry(expires).toString());
            } catch (IllegalArgumentException e) {
                System.err.println("portcullis exception add: " + e.getMessage());
                return 2;
            }
            if (team != null) {
                body.put("team", team);
            }
            body.put("advisory", advisory);
            body.put("reason", reason);
            body.put("ticket", ticket);
            if (narrower != null && narrower.repository != null) {
                body.put("repository", narrower.repository);
            }
            if (narrower != null && narrower.digest != null) {
                body.put("digest", narrower.digest);
            }
            if (purl != null) {
                body.put("purl", purl);
            }
            return PolicyCommand.remote(() -> {
                JsonNode r = server.connect().send("POST", "/api/v1/exceptions", Optional.of(body));
                System.out.println("exception " + r.path("id").asText() + " accepts " + r.path("advisory").asText()
                        + " for " + r.path("scope").asText() + " until " + r.path("expiresAt").asText()
                        + "; the images it covers are judged again");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List exceptions that still apply"
            + " (--all: also expired and revoked ones).")
    static final class List implements Callable<Integer> {
        @Mixin
        ServerOption server;

        @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's.")
        String team;

        @Option(names = "--all", description = "Include expired and revoked exceptions.")
        boolean all;

        @Override
        public Integer call() {
            return PolicyCommand.remote(() -> {
                StringBuilder q = new StringBuilder("/api/v1/exceptions?active=").append(!all);
                if (team != null) {
                    q.append("&team=").append(RemoteApi.enc(team));
                }
                JsonNode r = server.connect().send("GET", q.toString(), Optional.empty());
                System.out.printf("%-26s %-22s %-24s %-21s %-10s %s%n", "ID", "ADVISORY", "SCOPE", "EXPIRES",
                        "APPROVER", "REASON");
                for (JsonNode e : r.path("exceptions")) {
                    String status = e.hasNonNull("revokedAt") ? " (revoked)" : "";
                    System.out.printf("%-26s %-22s %-24s %-21s %-10s %s%s%n", e.path("id").asText(),
                            e.path("advisory").asText(), e.path("scope").asText(), e.path("expiresAt").asText(),
                            e.path("approver").asText(), e.path("reason").asText(), status);
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an exception; the images it"
            + " covered are judged again.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() {
            return PolicyCommand.remote(() -> {
                server.connect().send("DELETE", "/api/v1/exceptions/" + RemoteApi.enc(id), Optional.empty());
                System.out.println("exception " + id + " revoked; the images it covered are judged again");
                return 0;
            });
        }
    }
}
