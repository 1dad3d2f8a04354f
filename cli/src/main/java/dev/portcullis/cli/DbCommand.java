package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.ImportReport;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.ImportProblems;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code portcullis db}: the vulnerability database (import, update, status, offline bundles). */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the vulnerability database.",
        subcommands = {DbImportCommand.class, DbUpdateCommand.class, DbStatusCommand.class,
            DbExportBundleCommand.class})
final class DbCommand extends CommandGroup {
    /** Largest feed download accepted (OSV's all-ecosystems zip is well below). */
    static final long MAX_DOWNLOAD = 4L * 1024 * 1024 * 1024;

    static VulnDb open(Database database) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
        return VulnDb.open(database, Clock.systemUTC(), new FeedDownloader(http, MAX_DOWNLOAD, Duration.ofMinutes(10)));
    }

    static Path keysDir(Path data) {
        return data.resolve("keys");
    }

    /** Locations named per reason before the rest are only counted. */
    static final int EXAMPLES = 3;

    /**
     * Prints what an import did: per feed counts, then the malformed records and skipped documents grouped by
     * reason (a feed tree can skip a hundred documents for one reason: one line says it, with a few examples).
     */
    static void print(ImportReport report, PrintStream out) {
        report.feeds().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.printf(
                "%-28s %6d added %6d updated %6d unchanged %6d removed%n", e.getKey(), e.getValue().added(),
                e.getValue().updated(), e.getValue().unchanged(), e.getValue().removed()));
        report.notModified().forEach(s -> out.println("not modified: " + s));
        if (!report.malformed().isEmpty()) {
            out.println(report.malformed().size() + " malformed record(s) skipped:");
            printGrouped(report.malformed(), out);
        }
        if (!report.skipped().isEmpty()) {
            out.println(report.skipped().size() + " document(s) skipped:");
            printGrouped(report.skipped(), out);
        }
        out.println(report.records() + " records in imported feeds; " + report.changedPackages().size()
                + " packages with changed advisories");
    }

    private static void printGrouped(List<ImportProblems.Problem> problems, PrintStream out) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        problems.forEach(p -> byReason.computeIfAbsent(p.reason(), r -> new ArrayList<>()).add(p.location()));
        byReason.forEach((reason, locations) -> {
            if (locations.size() == 1) {
                out.println("  " + locations.getFirst() + ": " + reason);
                return;
            }
            out.println("  " + locations.size() + " x " + reason + ":");
            locations.stream().limit(EXAMPLES).forEach(l -> out.println("      " + l));
            if (locations.size() > EXAMPLES) {
                out.println("      and " + (locations.size() - EXAMPLES) + " more");
            }
        });
    }
}
