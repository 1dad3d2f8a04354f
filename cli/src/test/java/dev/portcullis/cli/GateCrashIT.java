package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.storage.Database;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash trials of the gate on the real server process: the runnable jar as its own JVM, started with the test-only
 * {@code portcullis.gate.crashAt} property so it halts itself (as a SIGKILL would: no hooks, no finally) at an exact
 * point of a job - while scanning, with the verdict and promotion written but not committed, right after that commit.
 * After each crash the data on disk is inspected cold, then the server is restarted on the same data directory
 * without the property. Every trial proves: nothing half-written is ever visible (a scanned/ tag only with a promoted
 * verdict, a verdict only with its completed job and its one audit entry), the job is not lost, and the image ends
 * judged exactly once to its right outcome (alpine-3.10.3 promoted, java-app rejected under the default policy with
 * the corpus feeds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateCrashIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Path work;
    private Path data;
    private int port;
    private int trial;

    @BeforeAll
    void prepare(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/portcullis.jar not built (the IT runs after package)");
        Path feeds = Corpus.feeds();
        work = dir;
        data = dir.resolve("data");
        // one data directory for every trial, the feeds imported once, as an operator would
        assertThat(Main.run("db", "import", "--data", data.toString(), feeds.toString())).isZero();
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    static Stream<Arguments> trials() {
        List<Arguments> out = new ArrayList<>();
        for (String point : List.of("scanning", "before-commit", "after-commit")) {
            out.add(Arguments.of(point, "alpine-3.10.3", "promoted"));
            out.add(Arguments.of(point, "java-app", "rejected"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "killed at {0}: {1} ends {2}")
    @MethodSource("trials")
    void aKilledServerResumesAndJudgesTheImageExactlyOnce(String point, String image, String outcome)
            throws Exception {
        String repository = "unscanned/crash/" + image + "-" + (++trial);
        Process armed = startServer(point, work.resolve(repository.replace('/', '_') + "-armed.log"));
        String digest;
        try {
            digest = push(Corpus.image(image).resolve("oci"), repository, "1");
            // the server halts itself at the point: exit 137, as if killed
            assertThat(armed.waitFor(120, TimeUnit.SECONDS)).as("the server reached " + point).isTrue();
            assertThat(armed.exitValue()).as(log(repository, "armed")).isEqualTo(137);
        } finally {
            armed.destroyForcibly();
            armed.waitFor(30, TimeUnit.SECONDS);
        }

        // cold, right after the crash: either nothing of the verdict or all of it
        Disk crashed = inspect(repository, digest);
        crashed.assertWhole();
        assertThat(crashed.judged()).as("judged before the crash at " + point).isEqualTo(point.equals("after-commit"));
        assertThat(crashed.jobs()).as("the scan job survives the crash").isEqualTo(1);

        Process again = startServer(null, work.resolve(repository.replace('/', '_') + "-restarted.log"));
        try {
            HttpResponse<byte[]> r = send("GET", "/api/v1/repositories/" + repository + "/images/1?wait=120s", null);
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            JsonNode view = Json.parse(r.body());
            assertThat(view.path("state").asText()).as(log(repository, "restarted")).isEqualTo(outcome);
            int scanned = send("GET", "/v2/" + repository.replaceFirst("^unscanned/", "scanned/") + "/manifests/1",
                    null, "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode();
            assertThat(scanned).isEqualTo(outcome.equals("promoted") ? 200 : 404);
        } finally {
            again.destroyForcibly(); // a second crash, at rest: the final state must still be whole
            again.waitFor(30, TimeUnit.SECONDS);
        }
        Disk done = inspect(repository, digest);
        done.assertWhole();
        assertThat(done.judged()).isTrue();
        assertThat(done.state()).isEqualTo(outcome);
        assertThat(done.verdicts()).as("judged exactly once").isEqualTo(1);
        assertThat(done.jobState()).isEqualTo("done");
    }

    /**
     * What the database on disk says of one pushed image: its gate row, its jobs, its audit verdict entries and its
     * scanned/ tag.
     */
    private record Disk(String state, boolean hasVerdict, int jobs, String jobState, int verdicts, String scannedTag,
                        String digest) {
        boolean judged() {
            return hasVerdict;
        }

        /** The invariants a crash at any point must leave intact. */
        void assertWhole() {
            String what = toString();
            assertThat(verdicts).as("at most one verdict entry: " + what).isLessThanOrEqualTo(1);
            // a verdict exists exactly when its job completed and its audit entry was written (one transaction)
            assertThat(hasVerdict).as("verdict iff job done: " + what).isEqualTo("done".equals(jobState));
            assertThat(hasVerdict).as("verdict iff audited: " + what).isEqualTo(verdicts == 1);
            // scanned/ holds the tag exactly when the verdict promoted it, and then the same digest
            boolean promoted = hasVerdict && "promoted".equals(state);
            assertThat(scannedTag != null).as("scanned/ tag iff promoted: " + what).isEqualTo(promoted);
            if (scannedTag != null) {
                assertThat(scannedTag).isEqualTo(digest);
            }
        }
    }

    private Disk inspect(String repository, String digest) {
        try (Database db = Database.sqlite(data)) {
            return db.read(c -> {
                String state = null;
                boolean verdict = false;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT state, verdict FROM gate_images WHERE repository = ? AND digest = ?")) {
                    s.setString(1, repository);
                    s.setString(2, digest);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            state = r.getString(1);
                            verdict = r.getString(2) != null;
                        }
                    }
                }
                int jobs = 0;
                String jobState = null;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT state FROM scan_jobs WHERE repository = ? AND digest = ?")) {
                    s.setString(1, repository);
                    s.setString(2, digest);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            jobs++;
                            jobState = r.getString(1);
                        }
                    }
                }
                int verdicts;
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM audit_entry WHERE action IN"
                        + " ('gate.promote', 'gate.reject') AND target LIKE ?")) {
                    s.setString(1, repository + ":%@" + digest);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        verdicts = r.getInt(1);
                    }
                }
                String tag = null;
                try (PreparedStatement s = c.prepareStatement("SELECT t.digest FROM tags t JOIN repositories r"
                        + " ON r.id = t.repository_id WHERE r.name = ? AND t.name = '1'")) {
                    s.setString(1, repository.replaceFirst("^unscanned/", "scanned/"));
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            tag = r.getString(1);
                        }
                    }
                }
                return new Disk(state, verdict, jobs, jobState, verdicts, tag, digest);
            });
        }
    }

    /** The runnable jar as a separate JVM, optionally armed to halt at a crash point; a short lease. */
    private Process startServer(String crashAt, Path log) throws Exception {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        if (crashAt != null) {
            command.add("-Dportcullis.gate.crashAt=" + crashAt);
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--dev", "--data", data.toString(), "--listen",
                "127.0.0.1:" + port));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // a dead node's job returns after its lease: the shortest the configuration allows keeps trials fast
        pb.environment().put("PORTCULLIS_GATE_LEASE", "5s");
        pb.environment().put("PORTCULLIS_GATE_WORKERS", "1");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("server exited early:\n" + Files.readString(log)).isTrue();
            try {
                if (send("GET", "/readyz", null).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("server not ready within 60 s:\n" + Files.readString(log));
    }

    private String log(String repository, String run) {
        try {
            return Files.readString(work.resolve(repository.replace('/', '_') + "-" + run + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Pushes the one image of an OCI layout as a client would: blobs by monolithic POST, then the manifest. */
    private String push(Path layout, String repository, String tag) throws Exception {
        JsonNode entry = Json.parse(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
        String digest = entry.path("digest").asText();
        byte[] manifest = Files.readAllBytes(blob(layout, digest));
        JsonNode m = Json.parse(manifest);
        List<String> blobs = new ArrayList<>(List.of(m.path("config").path("digest").asText()));
        m.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        for (String b : blobs) {
            HttpResponse<byte[]> r = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + b,
                    Files.readAllBytes(blob(layout, b)), "Content-Type", "application/octet-stream");
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        }
        HttpResponse<byte[]> put = send("PUT", "/v2/" + repository + "/manifests/" + tag, manifest, "Content-Type",
                entry.path("mediaType").asText());
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
        return digest;
    }

    private static Path blob(Path layout, String digest) {
        int colon = digest.indexOf(':');
        return layout.resolve("blobs").resolve(digest.substring(0, colon).toLowerCase(Locale.ROOT))
                .resolve(digest.substring(colon + 1));
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(150));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
