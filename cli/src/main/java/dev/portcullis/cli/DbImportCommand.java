package dev.portcullis.cli;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.bundle.BundleKeys;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis db import PATH|URL...}: imports feeds, recognising each document's format by its content. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import vulnerability feeds from directories, files, zips, signed bundles or HTTP(S) URLs.",
            "Formats are recognised by content: OSV JSON/YAML, Alpine secdb, Debian security tracker JSON.",
            "All locations are imported in one transaction; URLs become sources for 'db update'."})
final class DbImportCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Parameters(arity = "1..*", paramLabel = "PATH|URL")
    List<String> locations;

    @Option(names = "--trusted-key", paramLabel = "FILE",
            description = "Ed25519 public key that bundles must be signed with (default: DIR/keys/bundle-signing.pub).")
    Path trustedKey;

    @Override
    public Integer call() {
        Path dir = data.resolve();
        try (Database database = Database.sqlite(dir)) {
            VulnDb db = DbCommand.open(database);
            Path key = trustedKey != null ? trustedKey : DbCommand.keysDir(dir).resolve("bundle-signing.pub");
            if (trustedKey != null || Files.exists(key)) {
                db = db.trustingBundlesFrom(BundleKeys.readPublic(key));
            }
            DbCommand.print(db.importFrom(locations), System.out);
            return 0;
        } catch (FeedException | StoreException | IOException e) {
            System.err.println("portcullis db import: " + e.getMessage());
            return 1;
        }
    }
}
