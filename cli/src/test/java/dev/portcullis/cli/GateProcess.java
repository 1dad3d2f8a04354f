package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The runnable jar serving as its own JVM for the gate's crash and multi-node trials, optionally armed with the
 * test-only {@code portcullis.gate.crashAt} property (it then halts itself at that point of a job, as a SIGKILL would),
 * with a short job lease so a dead node's job returns quickly; and what the trials read back: pushes, the API, and the
 * gate's rows in the database.
 */
final class GateProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private GateProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Path jar() {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/portcullis.jar not built (the IT runs after package)");
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@code serve --dev} on {@code data} and {@code port} and waits until it is ready. */
    static GateProcess start(Path data, int port, String crashAt, Map<String, String> env, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        if (crashAt != null) {
            command.add("-Dportcullis.gate.crashAt=" + crashAt);
        }
        command.addAll(List.of("-jar", jar().toString(), "serve", "--dev", "--data", data.toString(), "--listen",
                "127.0.0.1:" + port));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // a dead node's job returns after its lease: the shortest the configuration allows keeps trials fast
        pb.environment().put("PORTCULLIS_GATE_LEASE", "5s");
        pb.environment().put("PORTCULLIS_GATE_WORKERS", "1");
        pb.environment().putAll(env);
        GateProcess p = new GateProcess(pb.start(), port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.process.isAlive()).as("server exited early:\n" + p.log()).isTrue();
            try {
                if (p.send("GET", "/readyz", null).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        p.close();
        throw new AssertionError("server not ready within 60 s:\n" + p.log());
    }

    long pid() {
        return process.pid();
    }

    /** The name its gate takes jobs under starts with this (the node name is "node-PID-random"). */
    String nodePrefix() {
        return "node-" + pid() + "-";
    }

    /** Waits for the armed process to halt itself; its exit code. */
    int awaitHalt() throws Exception {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the server reached its crash point:\n" + log())
                .isTrue();
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no graceful stop. */
    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The gate's state of {@code repository:tag}, waiting up to two minutes for a final one. */
    String awaitState(String repository, String tag) throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/repositories/" + repository + "/images/" + tag + "?wait=120s",
                null);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return Json.parse(r.body()).path("state").asText();
    }

    /** The status of a GET of the manifest {@code repository:tag}. */
    int manifestStatus(String repository, String tag) throws Exception {
        return send("GET", "/v2/" + repository + "/manifests/" + tag, null, "Accept",
                "application/vnd.oci.image.manifest.v1+json").statusCode();
    }

    /** Pushes the one image of an OCI layout as a client would (blobs by monolithic POST, then the manifest). */
    String push(Path layout, String repository, String tag) throws Exception {
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

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(150));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * What the database says of one image pushed under tag 1: its gate row, its scan jobs (state, attempts, lease
     * owner of the last), the audit entries of its verdict (and the node of the last) and the digest its scanned/
     * tag names.
     */
    record Rows(String state, boolean hasVerdict, int jobs, String jobState, int attempts, String leaseOwner,
                int verdicts, String verdictNode, String scannedTag, String digest) {

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

    static Rows rows(Database db, String repository, String digest) {
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
            int attempts = 0;
            String jobState = null;
            String owner = null;
            try (PreparedStatement s = c.prepareStatement("SELECT state, attempts, lease_owner FROM scan_jobs"
                    + " WHERE repository = ? AND digest = ? ORDER BY id")) {
                s.setString(1, repository);
                s.setString(2, digest);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        jobs++;
                        jobState = r.getString(1);
                        attempts = r.getInt(2);
                        owner = r.getString(3);
                    }
                }
            }
            int verdicts = 0;
            String node = null;
            try (PreparedStatement s = c.prepareStatement("SELECT source FROM audit_entry WHERE action IN"
                    + " ('gate.promote', 'gate.reject') AND target LIKE ? ORDER BY seq")) {
                s.setString(1, repository + ":%@" + digest);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        verdicts++;
                        node = r.getString(1);
                    }
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
            return new Rows(state, verdict, jobs, jobState, attempts, owner, verdicts, node, tag, digest);
        });
    }
}
