package dev.portcullis.storage;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server from Debian's binaries ({@code /usr/lib/postgresql/<version>/bin}) on a free
 * loopback port in a temporary directory. PostgreSQL refuses to run as root, so as root it runs as the
 * {@code postgres} system user through {@code runuser}. Tests skip with the reason when neither works.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final String USER = "portcullis";

    private final Path dir;
    private final int port;
    private final Process process;
    private final AtomicInteger databases = new AtomicInteger();
    private final List<Database> opened = new ArrayList<>();

    private LocalPostgres(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server, or skips the calling test with the reason it cannot. */
    public static LocalPostgres start() throws Exception {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(),
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = new ArrayList<>();
        if (root) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) && userExists("postgres"),
                    "running as root and there is no postgres user to run PostgreSQL as");
            asUser.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        Path dir = Files.createTempDirectory("portcullis-pg-");
        Path data = dir.resolve("data");
        if (root) {
            // The postgres user must reach and own its directory.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            run(List.of("chown", "postgres", dir.toString()));
        }
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--no-sync"));
        run(initdb);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> postgres = new ArrayList<>(asUser);
        // fsync off: a test database need not survive power loss.
        postgres.addAll(List.of(bin.get().resolve("postgres").toString(), "-D", data.toString(), "-p",
                String.valueOf(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        Process process = new ProcessBuilder(postgres).redirectErrorStream(true)
                .redirectOutput(dir.resolve("postgres.log").toFile()).start();
        LocalPostgres pg = new LocalPostgres(dir, port, process);
        pg.awaitReady();
        return pg;
    }

    private static Optional<Path> binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))
                    && Files.isExecutable(b.resolve("initdb"))).max(Comparator.comparing(Path::toString));
        }
    }

    private static boolean userExists(String name) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited:\n" + Files.readString(dir.resolve("postgres.log")));
            }
            try (Connection c = DriverManager.getConnection(url("postgres"), USER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("postgres not ready in 30 s", last);
    }

    /** Creates a new, empty database on this server and returns its JDBC URL (user {@link #user()}, no password). */
    public String createDatabase() throws SQLException {
        String name = "t" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String user() {
        return USER;
    }

    /** A new, empty database on this server, closed with the server. */
    public Database newDatabase() throws SQLException {
        Database db = Database.postgresql(createDatabase(), USER, "", 4);
        opened.add(db);
        return db;
    }

    @Override
    public void close() throws Exception {
        opened.forEach(Database::close);
        // SIGINT is PostgreSQL's "fast" shutdown (it does not wait for clients a failed test may have left
        // connected). It goes to the postmaster itself: through runuser a signal may not reach it.
        Optional<ProcessHandle> postmaster = postmaster();
        postmaster.ifPresent(pm -> signal("INT", pm.pid()));
        if (postmaster.isPresent() && !postmaster.get().onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS)
                .thenApply(h -> h != null).get()) {
            postmaster.get().destroyForcibly();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The postmaster's process, from the first line of {@code postmaster.pid}. */
    private Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = dir.resolve("data/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.getFirst().trim()));
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
