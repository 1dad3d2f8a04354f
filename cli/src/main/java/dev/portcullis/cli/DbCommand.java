package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.ImportReport;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    /** Prints what an import did: per feed counts, then every malformed record and skipped document. */
    static void print(ImportReport report, PrintStream out) {
        report.feeds().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.printf(
                "%-28s %6d added %6d updated %6d unchanged %6d removed%n", e.getKey(), e.getValue().added(),
                e.getValue().updated(), e.getValue().unchanged(), e.getValue().removed()));
        report.notModified().forEach(s -> out.println("not modified: " + s));
        if (!report.malformed().isEmpty()) {
            out.println(report.malformed().size() + " malformed record(s) skipped:");
            report.malformed().forEach(p -> out.println("  " + p.location() + ": " + p.reason()));
        }
        if (!report.skipped().isEmpty()) {
            out.println(report.skipped().size() + " document(s) skipped:");
            report.skipped().forEach(p -> out.println("  " + p.location() + ": " + p.reason()));
        }
        out.println(report.records() + " records in imported feeds; " + report.changedPackages().size()
                + " packages with changed advisories");
    }
}
