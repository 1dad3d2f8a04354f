package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.DbStatus;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * One open of the vulnerability database in a fresh JVM, as {@code portcullis scan} does it before matching: open,
 * check the schema, read the feed status. {@code read-only} is what scan does now; {@code migrating} is the open
 * scan used before (pooled database, Flyway migration, feed downloader), kept as the reference. With an image, the
 * JVM first scans it without a database (through the CLI, report to a temporary file), so the open is timed where scan does
 * it; without, the open is the first thing the JVM does. Prints one line
 * {@code OPEN mode=... ms=... cpu_ms=... feeds=...} (CPU of the whole process, JIT and GC threads included).
 * In the CLI's package to call {@code Main.run}; compiled and run by {@code bench/scanner/with-db.sh}; not a test.
 */
public final class DbOpenBench {
    private DbOpenBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String mode = args[1];
        if (args.length > 2) {
            Path empty = Files.createTempDirectory("no-db");
            // a real file: scan writes its report beside the output and renames it over (never name a device here)
            Path report = empty.resolve("report.json");
            int code = Main.run("scan", args[2], "--format", "json", "-o", report.toString(), "--data",
                    empty.resolve("data").toString());
            Files.deleteIfExists(report);
            Files.delete(empty);
            if (code != 0) {
                throw new IllegalStateException("scan of " + args[2] + " exited " + code);
            }
        }
        var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = process.getProcessCpuTime();
        long t0 = System.nanoTime();
        DbStatus status;
        if (mode.equals("read-only")) {
            try (Database database = Database.sqliteReadOnly(data)) {
                status = VulnDb.openForReading(database, Clock.systemUTC()).status();
            }
        } else {
            try (Database database = Database.sqlite(data)) {
                status = VulnDb.open(database, Clock.systemUTC(), new FeedDownloader(HttpClient.newHttpClient(),
                        1 << 20, Duration.ofSeconds(5))).status();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long cpuMs = (process.getProcessCpuTime() - cpu0) / 1_000_000;
        System.out.printf("OPEN mode=%s ms=%d cpu_ms=%d feeds=%d%n", mode, ms, cpuMs, status.feeds().size());
    }
}
