package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.bundle.BundleKeys;
import dev.portcullis.vulndb.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code portcullis db export-bundle FILE}: a signed, self-contained copy for air-gapped installations. */
@Command(name = "export-bundle", mixinStandardHelpOptions = true,
        description = {"Write the whole vulnerability database to a signed bundle for offline import.",
            "Signed with DIR/keys/bundle-signing.key (created on first use); give the importing side",
            "DIR/keys/bundle-signing.pub as --trusted-key."})
final class DbExportBundleCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        Path dir = data.existing();
        try (Database database = Database.sqlite(dir)) {
            DbCommand.open(database).exportBundle(file, BundleKeys.loadOrCreate(DbCommand.keysDir(dir)));
            System.out.println("wrote " + file + " (verify with " + DbCommand.keysDir(dir).resolve("bundle-signing.pub")
                    + ")");
            return 0;
        } catch (IOException | UncheckedIOException | StoreException e) {
            System.err.println("portcullis db export-bundle: " + e.getMessage());
            return 1;
        }
    }
}
