package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour that needs its own server: upload admission under load and graceful shutdown. */
class ServerLifecycleIT {

    @Test
    void uploadsBeyondTheLimitAreTooManyRequests() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withMaxConcurrentUploads(1))) {
            Http http = server.http();
            byte[] first = Fixtures.randomBytes(256 * 1024);
            byte[] second = Fixtures.randomBytes(256 * 1024);
            String location = http.startUpload("unscanned/limits/slow");
            String other = http.startUpload("unscanned/limits/slow");
            try (Socket slow = http.openRaw("PATCH", location, "Content-Length", String.valueOf(first.length))) {
                // The first slow sender holds the only upload slot while it trickles its body.
                OutputStream out = slow.getOutputStream();
                out.write(first, 0, 1024);
                out.flush();
                awaitBytesStored(http, location);
                Socket late = http.openRaw("PATCH", other, "Content-Length", String.valueOf(second.length));
                // The second slow sender is turned away at once, before its body, with a hint when to retry.
                late.getOutputStream().write(second, 0, 1024);
                late.getOutputStream().flush();
                Http.RawResponse refused = Http.readRaw(late);
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.text()).contains("TOOMANYREQUESTS");
                assertThat(refused.headers()).containsKey("retry-after");
                late.close();

                Http.writeSlowly(out, java.util.Arrays.copyOfRange(first, 1024, first.length), 4,
                        Duration.ofMillis(50));
                Http.RawResponse accepted = Http.readRaw(slow);
                assertThat(accepted.status()).isEqualTo(202);
            }
            // With the slot free again, uploads proceed.
            assertThat(http.put(Http.withDigest(location, Digest.sha256(first)), null).statusCode()).isEqualTo(201);
            assertThat(http.patch(other, second).statusCode()).isEqualTo(202);
            assertError(http.post("/v2/unscanned/limits/none/blobs/uploads/?digest=sha256:bad", new byte[1]), 400,
                    "DIGEST_INVALID");
        }
    }

    @Test
    void aSlowDownloadInFlightCompletesWhenTheServerStops() throws Exception {
        TestServer server = TestServer.start();
        try {
            Http http = server.http();
            byte[] content = Fixtures.randomBytes(32 * 1024 * 1024);
            Digest d = http.pushBlob("unscanned/lifecycle/drain", content);
            try (Socket s = http.openRaw("GET", "/v2/unscanned/lifecycle/drain/blobs/" + d)) {
                InputStream in = s.getInputStream();
                // Read the head and a first slice slowly, then stop the server while most of the body is unsent.
                byte[] start = in.readNBytes(64 * 1024);
                assertThat(new String(start, 0, 12)).isEqualTo("HTTP/1.1 200");
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                    try {
                        server.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(500);
                assertThat(stopped).as("stop waits for the download").isNotDone();
                byte[] rest = in.readAllBytes();
                byte[] all = new byte[start.length + rest.length];
                System.arraycopy(start, 0, all, 0, start.length);
                System.arraycopy(rest, 0, all, start.length, rest.length);
                int bodyStart = indexOf(all, "\r\n\r\n".getBytes()) + 4;
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(all, bodyStart, all.length - bodyStart);
                assertThat(all.length - bodyStart).isEqualTo(content.length);
                assertThat(Digest.of(Digest.Algorithm.SHA256, sha.digest())).isEqualTo(d);
                stopped.get(30, TimeUnit.SECONDS);
            }
        } finally {
            server.close();
        }
    }

    /** Waits until the server stores bytes of the upload, i.e. its PATCH handler holds the upload slot. */
    private static void awaitBytesStored(Http http, String location) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.get(location).headers().firstValue("Range").orElse("0-0").equals("0-1023")) {
            assertThat(System.nanoTime()).as("the first upload's bytes arrive").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
