package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.DbStatus;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portcullis db status}: feeds, record counts, last successful import and its age, source errors. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show feeds, record counts and their age.")
final class DbStatusCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Override
    public Integer call() {
        try (Database database = Database.sqlite(data.existing())) {
            DbStatus s = DbCommand.open(database).status();
            if (s.feeds().isEmpty()) {
                System.out.println("no feeds imported: every package is unevaluable until 'portcullis db import'");
            }
            System.out.printf("%-28s %-15s %8s  %-20s %s%n", "FEED", "FORMAT", "RECORDS", "LAST IMPORT", "AGE");
            for (DbStatus.FeedStatus f : s.feeds()) {
                System.out.printf("%-28s %-15s %8d  %-20s %s%n", f.name(), f.format(), f.records(),
                        f.lastImport().truncatedTo(ChronoUnit.SECONDS), age(Duration.between(f.lastImport(), s.now())));
                System.out.println("    from " + f.source());
            }
            for (DbStatus.SourceStatus src : s.sources()) {
                System.out.println("source " + src.location() + ": last success "
                        + (src.lastSuccess() == null ? "never" : src.lastSuccess())
                        + (src.lastError().isEmpty() ? "" : "; last attempt " + src.lastAttempt() + " FAILED: "
                        + src.lastError()));
            }
            System.out.println(s.records() + " records; oldest feed " + (s.feeds().isEmpty() ? "-" : age(s.staleness()))
                    + " old");
            return 0;
        }
    }

    private static String age(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + "d" + d.toHoursPart() + "h";
        }
        return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
}
