package dev.portcullis.storage;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;
    private Database db;

    @Override
    protected MetadataStore store() {
        db = Database.sqlite(dir);
        return new JdbcMetadataStore(db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }
}
