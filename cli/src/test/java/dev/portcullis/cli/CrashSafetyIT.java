package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server process with SIGKILL in the middle of uploads (monolithic and chunked, from slow senders),
 * restarts it on the same data directory, and checks what the storage promises: no partial blob is ever visible,
 * completed blobs are intact, an interrupted chunked upload resumes where the bytes on disk end.
 */
class CrashSafetyIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Random RANDOM = new Random(7);

    @TempDir
    Path work;

    private int port;

    /** The real runnable jar as a separate JVM: a SIGKILL takes the whole process, as a crash would. */
    private Process startServer(Path data, Path log) throws Exception {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/portcullis.jar not built (the IT runs after package)");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "serve", "--dev", "--data",
                data.toString(), "--listen", "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                : "http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private String startUpload(String repo) throws Exception {
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(r.statusCode()).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** Sends the head and {@code sent} of {@code total} announced body bytes, then leaves the socket open. */
    private Socket partialRequest(String method, String path, byte[] body, int sent) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        // A slow sender: the body trickles in pieces.
        for (int off = 0; off < sent; off += 256 * 1024) {
            out.write(body, off, Math.min(256 * 1024, sent - off));
            out.flush();
        }
        return s;
    }

    private long uploadedBytes(String location) throws Exception {
        HttpResponse<byte[]> status = send("GET", location, null);
        assertThat(status.statusCode()).as(new String(status.body(), StandardCharsets.UTF_8)).isEqualTo(204);
        String range = status.headers().firstValue("Range").orElseThrow();
        return Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
    }

    private void awaitStored(String location, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (uploadedBytes(location) < atLeast) {
            assertThat(System.nanoTime()).as("bytes of " + location + " reach the disk").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Continues an upload from what the server holds and completes it. */
    private void resume(String location, byte[] content) throws Exception {
        long have = uploadedBytes(location);
        assertThat(have).isBetween(1L, (long) content.length);
        HttpResponse<byte[]> patch = send("PATCH", location, Arrays.copyOfRange(content, (int) have, content.length),
                "Content-Range", have + "-" + (content.length - 1));
        assertThat(patch.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = send("PUT", location + "?digest=" + sha256(content), null);
        assertThat(put.statusCode()).as(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    }

    private void assertBlob(String repo, byte[] content) throws Exception {
        HttpResponse<byte[]> r = send("GET", "/v2/" + repo + "/blobs/" + sha256(content), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(sha256(r.body())).isEqualTo(sha256(content));
    }

    @Test
    void killedMidUploadRestartsConsistent() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path data = work.resolve("data");
        Process server = startServer(data, work.resolve("first.log"));
        List<Socket> inFlight = new ArrayList<>();
        try {
            // Completed before the crash: one monolithic, one chunked.
            byte[] done = random(2 * 1024 * 1024);
            HttpResponse<byte[]> single = send("POST", "/v2/unscanned/crash/app/blobs/uploads/?digest=" + sha256(done), done);
            assertThat(single.statusCode()).isEqualTo(201);
            byte[] doneChunked = random(3 * 1024 * 1024);
            String loc = startUpload("unscanned/crash/app");
            for (int off = 0; off < doneChunked.length; off += 1024 * 1024) {
                assertThat(send("PATCH", loc, Arrays.copyOfRange(doneChunked, off, off + 1024 * 1024),
                        "Content-Range", off + "-" + (off + 1024 * 1024 - 1)).statusCode()).isEqualTo(202);
            }
            assertThat(send("PUT", loc + "?digest=" + sha256(doneChunked), null).statusCode()).isEqualTo(201);

            // In flight at the crash: a single-POST and a POST+PUT upload, each half sent...
            byte[] monoSingle = random(8 * 1024 * 1024);
            inFlight.add(partialRequest("POST", "/v2/unscanned/crash/app/blobs/uploads/?digest=" + sha256(monoSingle),
                    monoSingle, 3 * 1024 * 1024));
            byte[] monoPut = random(8 * 1024 * 1024);
            String monoLocation = startUpload("unscanned/crash/app");
            inFlight.add(partialRequest("PUT", monoLocation + "?digest=" + sha256(monoPut), monoPut,
                    3 * 1024 * 1024));
            // ...a chunked upload with one chunk stored and the next one arriving...
            byte[] chunked = random(4 * 1024 * 1024);
            String chunkedLocation = startUpload("unscanned/crash/app");
            assertThat(send("PATCH", chunkedLocation, Arrays.copyOfRange(chunked, 0, 1024 * 1024), "Content-Range",
                    "0-1048575").statusCode()).isEqualTo(202);
            Socket s = partialRequest("PATCH", chunkedLocation, Arrays.copyOfRange(chunked, 1024 * 1024,
                    2 * 1024 * 1024), 512 * 1024);
            inFlight.add(s);
            // ...and a chunked upload idle between chunks.
            byte[] idle = random(2 * 1024 * 1024);
            String idleLocation = startUpload("unscanned/crash/app");
            assertThat(send("PATCH", idleLocation, Arrays.copyOfRange(idle, 0, 1024 * 1024), "Content-Range",
                    "0-1048575").statusCode()).isEqualTo(202);

            // The kill lands while the server is inside those requests, with some of their bytes on disk.
            awaitStored(monoLocation, 2); // "0-0" is also what an empty upload reports
            awaitStored(chunkedLocation, 1024 * 1024 + 1);
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (Socket socket : inFlight) {
                socket.close();
            }

            server = startServer(data, work.resolve("second.log"));
            // No partial blob is visible.
            assertThat(send("HEAD", "/v2/unscanned/crash/app/blobs/" + sha256(monoSingle), null).statusCode()).isEqualTo(404);
            assertThat(send("HEAD", "/v2/unscanned/crash/app/blobs/" + sha256(monoPut), null).statusCode()).isEqualTo(404);
            assertThat(send("GET", "/v2/unscanned/crash/app/blobs/" + sha256(chunked), null).statusCode()).isEqualTo(404);
            // Completed blobs are intact.
            assertBlob("unscanned/crash/app", done);
            assertBlob("unscanned/crash/app", doneChunked);
            // Interrupted uploads resume from the bytes on disk (the running hash is rebuilt from the file).
            resume(chunkedLocation, chunked);
            assertBlob("unscanned/crash/app", chunked);
            assertThat(uploadedBytes(idleLocation)).isEqualTo(1024 * 1024);
            resume(idleLocation, idle);
            assertBlob("unscanned/crash/app", idle);
            resume(monoLocation, monoPut);
            assertBlob("unscanned/crash/app", monoPut);
            // The single POST had no session: the client simply pushes again.
            assertThat(send("POST", "/v2/unscanned/crash/app/blobs/uploads/?digest=" + sha256(monoSingle), monoSingle)
                    .statusCode()).isEqualTo(201);
            assertBlob("unscanned/crash/app", monoSingle);
        } finally {
            for (Socket socket : inFlight) {
                socket.close();
            }
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
