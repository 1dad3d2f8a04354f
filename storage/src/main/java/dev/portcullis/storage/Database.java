package dev.portcullis.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The relational database of Portcullis: one embedded SQLite file (WAL) by default, or PostgreSQL for scale-out.
 * Each component (registry metadata, vulnerability data, identities, ...) owns its tables and migrates them
 * itself with {@link #migrate(String)}, from {@code classpath:db/migration/<component>/<dialect>}, keeping its
 * own Flyway history table so that components evolve independently.
 */
public final class Database implements AutoCloseable {

    /** The SQL dialects Portcullis speaks; migrations live in a folder named after the dialect. */
    public enum Dialect {
        SQLITE("sqlite"), POSTGRESQL("postgresql");

        private final String folder;

        Dialect(String folder) {
            this.folder = folder;
        }

        public String folder() {
            return folder;
        }
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    /** The connection of the transaction this thread runs, if any (see {@link #inTransaction}). */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    private Database(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens (creating if needed) {@code portcullis.db} in {@code dataDir}. */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dataDir + ": " + reason(e), e);
        }
        Path file = dataDir.resolve("portcullis.db");
        // SQLite would say only SQLITE_CANTOPEN: it needs to write the file and, beside it, its -wal and -shm files.
        if (!Files.isWritable(dataDir)) {
            throw new StorageException("the data directory " + dataDir.toAbsolutePath() + " is not writable "
                    + access(dataDir) + ": SQLite needs to create portcullis.db and its -wal and -shm files there");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StorageException("the database " + file.toAbsolutePath() + " is not writable " + access(file));
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode survives a process crash at any instant; only power loss may lose the last commits.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(30_000);
        sqlite.enforceForeignKeys(true);
        // Write transactions take the lock up front, so two writers queue instead of failing with SQLITE_BUSY
        // when a read transaction tries to upgrade.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        HikariConfig config = new HikariConfig();
        config.setPoolName("sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        return new Database(new HikariDataSource(config), Dialect.SQLITE);
    }

    /**
     * Opens the existing {@code portcullis.db} in {@code dataDir} read-only, for a short-lived command that only
     * reads (a scan): no pool, no background thread, nothing opened before the first read; each read opens its own
     * connection, which for SQLite is a file open. It cannot create the file or change it, nor migrate.
     */
    public static Database sqliteReadOnly(Path dataDir) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setReadOnly(true);
        sqlite.setBusyTimeout(30_000);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + dataDir.resolve("portcullis.db").toAbsolutePath());
        return new Database(source, Dialect.SQLITE);
    }

    /** "(by user bob; owner alice, permissions r-xr-xr-x)": what an operator needs to fix a permission. */
    private static String access(Path path) {
        String user = System.getProperty("user.name");
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
            return "(by user " + user + "; owner " + a.owner().getName() + ", permissions "
                    + PosixFilePermissions.toString(a.permissions()) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "(by user " + user + ")";
        }
    }

    /** What went wrong, in words (a {@code FileSystemException} message is only the path again). */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.FileAlreadyExistsException x -> "a file of that name is in the way";
            case java.nio.file.NoSuchFileException x -> "its parent cannot hold a new directory";
            case java.nio.file.AccessDeniedException x -> "permission denied";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getClass().getSimpleName();
        };
    }

    /** Connects to PostgreSQL at a JDBC URL such as {@code jdbc:postgresql://db:5432/portcullis}. */
    public static Database postgresql(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        return new Database(new HikariDataSource(config), Dialect.POSTGRESQL);
    }

    /** Applies the pending migrations of one component; safe to call on every start and from several nodes. */
    public void migrate(String component) {
        if (!component.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("component name must be a lower-case identifier: " + component);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + component + "/" + dialect.folder())
                .table("flyway_history_" + component)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Work done in one transaction: committed when it returns, rolled back when it throws. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction. Called while this thread already runs one, the work joins it (same
     * connection, committed or rolled back with the outer work): that is how one component's change and another's
     * (a promotion, its verdict and its audit entry) become one atomic step without either knowing the other.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        Connection open = current.get();
        if (open != null) {
            try {
                return work.run(open);
            } catch (SQLException e) {
                throw new StorageException("database transaction failed: " + e.getMessage(), e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("database transaction failed: " + e.getMessage(), e);
        }
    }

    /** Whether this thread runs a transaction now (work started now would join it). */
    public boolean inOpenTransaction() {
        return current.get() != null;
    }

    /**
     * Read-only work in autocommit mode (no write lock is taken); inside a transaction of this thread it reads through
     * that transaction, so it sees the transaction's own changes.
     */
    public <T> T read(TransactionWork<T> work) {
        Connection open = current.get();
        if (open != null) {
            try {
                return work.run(open);
            } catch (SQLException e) {
                throw new StorageException("database read failed: " + e.getMessage(), e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("database read failed: " + e.getMessage(), e);
        }
    }

    /** True when a trivial query succeeds: used by the readiness probe. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}
