package dev.portcullis.storage;

import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The metadata store contract on a real PostgreSQL server: the scale-out dialect behaves as SQLite does. */
class PostgresMetadataStoreIT extends MetadataStoreContract {
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
    protected MetadataStore store() {
        try {
            return new JdbcMetadataStore(postgres.newDatabase(), Clock.systemUTC());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
