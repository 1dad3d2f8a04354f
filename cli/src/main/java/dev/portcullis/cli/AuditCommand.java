package dev.portcullis.cli;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.auth.audit.Checkpoint;
import dev.portcullis.oci.Json;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis audit}: query, export and verify the tamper-evident audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Query, export and verify the audit log.",
        subcommands = {AuditCommand.Query.class, AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand extends CommandGroup {

    @Command(name = "query", mixinStandardHelpOptions = true, description = "List audit entries matching filters.")
    static final class Query implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--actor")
        String actor;

        @Option(names = "--team")
        String team;

        @Option(names = "--repo", description = "A repository, or a prefix such as unscanned/acme.")
        String repo;

        @Option(names = "--action", description = "An action such as registry.push, or a prefix such as auth.")
        String action;

        @Option(names = "--since", paramLabel = "TIME", description = "UTC time, e.g. 2026-01-31T00:00:00Z.")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME")
        Instant until;

        @Option(names = "--limit", defaultValue = "1000")
        int limit;

        @Option(names = "--jsonl", description = "Print JSON Lines instead of a table.")
        boolean jsonl;

        @Override
        public Integer call() {
            return AdminCommand.read(target, b -> {
                List<AuditEntry> entries = b.query(new AuditQuery(Optional.ofNullable(actor),
                        Optional.ofNullable(team), Optional.ofNullable(repo), Optional.ofNullable(action),
                        Optional.ofNullable(since), Optional.ofNullable(until), 0, limit));
                PrintStream out = System.out;
                for (AuditEntry e : entries) {
                    if (jsonl) {
                        out.println(new String(Json.write(e.toJson()), StandardCharsets.UTF_8));
                    } else {
                        out.printf("%6d %s %-8s %-22s %-20s %s (%s from %s, request %s)%n", e.seq(), e.at(),
                                e.event().outcome(), e.event().action(), e.event().actor(), e.event().target(),
                                e.event().detail(), e.event().source(), e.event().requestId());
                    }
                }
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the whole log (entries and signed checkpoints) as JSON Lines.")
    static final class Export implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Default: standard output.")
        Path output;

        @Override
        public Integer call() {
            return AdminCommand.read(target, b -> {
                if (output == null) {
                    b.export(System.out);
                } else {
                    try (OutputStream out = Files.newOutputStream(output)) {
                        b.export(out);
                    }
                }
            });
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the hash chain and checkpoints;"
            + " names every edited, removed, reordered or inserted entry and every deleted checkpoint. Exit code 1"
            + " when tampered.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--file", paramLabel = "EXPORT", description = "Verify an export offline instead.")
        Path file;

        @Option(names = "--public-key", paramLabel = "JWK", description = "Checkpoint public key for an offline"
                + " check (from /.well-known/portcullis-audit-key.json).")
        Path publicKey;

        @Option(names = "--head", paramLabel = "FILE", description = "A signed head kept outside the database (from"
                + " GET /api/v1/audit/head or an 'audit checkpoint signed' log line): the log must still contain"
                + " it, so any truncation or rewrite up to it is caught.")
        Path headFile;

        @Override
        public Integer call() throws Exception {
            Optional<Checkpoint> head = Optional.empty();
            if (headFile != null) {
                try {
                    head = Optional.of(Checkpoint.fromJson(Json.parse(Files.readAllBytes(headFile))));
                } catch (Json.JsonFormatException | java.time.format.DateTimeParseException e) {
                    System.err.println("portcullis: " + headFile + ": not a signed audit head: " + e.getMessage());
                    return 2;
                }
            }
            Optional<Checkpoint> kept = head;
            AuditVerifier.Report report;
            if (file != null) {
                AuditLog.Export export;
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    export = AuditLog.readExport(in);
                } catch (Json.JsonFormatException e) {
                    System.err.println("portcullis: " + file + ": " + e.getMessage());
                    return 2;
                }
                Optional<ECKey> key = publicKey == null ? Optional.empty()
                        : Optional.of(ECKey.parse(Files.readString(publicKey)));
                report = AuditVerifier.verify(export.entries(), export.checkpoints(), key, kept,
                        AuditLog.CHECKPOINT_EVERY);
            } else {
                AuditVerifier.Report[] holder = new AuditVerifier.Report[1];
                int rc = AdminCommand.read(target, b -> holder[0] = b.verify(kept));
                if (rc != 0) {
                    return rc;
                }
                report = holder[0];
            }
            for (AuditVerifier.Problem p : report.problems()) {
                System.out.println(p.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + p.seq() + ": "
                        + p.message());
            }
            System.out.println((report.intact() ? "intact: " : "TAMPERED: ") + report.entries() + " entries, "
                    + report.checkpoints() + " checkpoints" + (report.signaturesChecked() ? " (signatures checked)"
                    : " (checkpoint signatures not checked: give --public-key)") + ", " + report.problems().size()
                    + " problems");
            if (report.unanchored() > 0) {
                System.out.println("not yet anchored: entries " + (report.anchoredThrough() + 1) + " to "
                        + report.lastSeq() + " follow the last checkpoint; nothing proves them genuine or complete"
                        + " until the next checkpoint signs them");
            }
            return report.intact() ? 0 : 1;
        }
    }
}
