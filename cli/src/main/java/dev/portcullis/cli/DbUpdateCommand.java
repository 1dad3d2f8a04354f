package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.store.StoreException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portcullis db update}: re-downloads every source imported from a URL, conditionally. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Update from the configured sources (URLs given to 'db import'), with conditional GET.")
final class DbUpdateCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Override
    public Integer call() {
        try (Database database = Database.sqlite(data.resolve())) {
            DbCommand.print(DbCommand.open(database).update(), System.out);
            return 0;
        } catch (FeedException | StoreException e) {
            System.err.println("portcullis db update: " + e.getMessage());
            return 1;
        }
    }
}
