package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping {@code portcullis serve} (the real jar) with an upload in flight: the first TERM (what Ctrl-C and
 * systemd send) says it drains and waits, a second stops at once; a stop without a request ends cleanly.
 */
class ServeSignalsIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private Process serve(Path log, int port) throws IOException {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/portcullis.jar not built (the IT runs after package)");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", jar.toString(), "serve", "--dev", "--data", work.resolve("data").toString(), "--listen",
                "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PORTCULLIS_SHUTDOWN_TIMEOUT", "60s");
        return pb.start();
    }

    @Test
    void aSecondSignalStopsAtOnceWhileAnUploadDrains() throws Exception {
        Path log = work.resolve("server.log");
        int port = freePort();
        Process server = serve(log, port);
        try {
            awaitReady(server, port, log);
            HttpResponse<String> started = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/unscanned/acme/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).isEqualTo(202);
            String location = started.headers().firstValue("Location").orElseThrow();
            try (Socket upload = new Socket("127.0.0.1", port)) {
                OutputStream out = upload.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + "application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[1000]);
                out.flush();
                AtomicReference<IOException> cutOff = new AtomicReference<>();
                // a client that keeps sending, as docker does: on stop Jetty cuts connections idle for a second
                Thread sender = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 900; i++) {
                            out.write(new byte[1000]);
                            out.flush();
                            Thread.sleep(100);
                        }
                    } catch (IOException e) {
                        cutOff.set(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                awaitStored(port, location);
                server.destroy(); // SIGTERM
                awaitLog(log, server, "request(s) in flight for up to 60s (press Ctrl-C again to stop at once)");
                assertThat(server.waitFor(1, TimeUnit.SECONDS)).as("the first signal waits for the upload").isFalse();
                server.destroy();
                assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("a second signal stops at once").isTrue();
                assertThat(server.exitValue()).isEqualTo(ServeCommand.STOPPED_AT_ONCE);
                sender.join();
                assertThat(cutOff.get()).as("the forced stop cut the upload off").isNotNull();
            }
            assertThat(Files.readString(log)).containsPattern("stopping; draining [12] request\\(s\\)")
                    .containsPattern("stopping at once; [12] request\\(s\\) in flight are cut off")
                    .doesNotContain("\tat ");
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void aStopWithNothingInFlightEndsCleanly() throws Exception {
        Path log = work.resolve("quiet.log");
        int port = freePort();
        Process server = serve(log, port);
        try {
            awaitReady(server, port, log);
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
            // (the readiness probe may still count as in flight for a moment: its response is out, its exchange not)
            assertThat(Files.readString(log)).contains("SIGTERM: stopping;", "Portcullis stopped")
                    .doesNotContain("\tat ");
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    /** The upload's handler is running once part of its body is stored. */
    private static void awaitStored(int port, String location) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> status = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + location)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String range = status.headers().firstValue("Range").orElse("0-0");
            if (!range.equals("0-0")) {
                return;
            }
            assertThat(System.nanoTime()).as("no byte of the upload stored").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitLog(Path log, Process p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains(text)) {
            assertThat(System.nanoTime()).as("'" + text + "' not logged:\n" + Files.readString(log))
                    .isLessThan(deadline);
            assertThat(p.isAlive()).as("server exited:\n" + Files.readString(log)).isTrue();
            Thread.sleep(50);
        }
    }

    private static void awaitReady(Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("server exited early:\n" + Files.readString(log)).isTrue();
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("server not ready within 60 s:\n" + Files.readString(log));
    }
}
