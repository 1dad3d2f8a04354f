package dev.portcullis.gate;

import dev.portcullis.storage.Database;
import dev.portcullis.storage.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The job queue on a real PostgreSQL server: {@code FOR UPDATE SKIP LOCKED} hands each job to one node. */
class PostgresJobQueueIT extends JobQueueContract {
    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Database database() {
        try {
            return postgres.newDatabase();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
