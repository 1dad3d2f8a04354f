package dev.portcullis.gate;

import dev.portcullis.storage.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobQueueTest extends JobQueueContract {
    @TempDir
    Path dir;
    private Database db;

    @Override
    protected Database database() {
        db = Database.sqlite(dir);
        return db;
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }
}
