package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One user stalling upload bodies cannot take every slot, and a stalled body is dropped after the grace period. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadFairnessIT {
    private static final String SCOPE = "repository:unscanned/acme/app:pull,push";
    private AuthTestServer s;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        s = new AuthTestServer(dir, c -> c.withProtection(new ServerConfig.Protection(1, 2, DataSize.ofBytes(1024),
                Duration.ofSeconds(2), 64, Duration.ofMinutes(1))));
        s.team("acme");
        s.user("greedy", Grant.inTeam("acme", Role.DEVELOPER));
        s.user("patient", Grant.inTeam("acme", Role.DEVELOPER));
    }

    @AfterAll
    void stop() throws Exception {
        s.close();
    }

    private String token(String user) throws Exception {
        HttpResponse<String> r = s.token(AuthTestServer.Creds.basic(user, AuthTestServer.PASSWORD), Set.of(SCOPE));
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("token").asText();
    }

    private String startUpload(String token) throws Exception {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.base.resolve("/v2/unscanned/acme/app/blobs/uploads/"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** A PATCH that announces 1 MiB and sends 16 bytes, then nothing: a stalled body holding its slot. */
    private Socket stalledPatch(String token) throws Exception {
        Socket socket = new Socket("127.0.0.1", s.server.port());
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + startUpload(token) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n0123456789abcdef")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private int patch(String token) throws Exception {
        return s.send(HttpRequest.newBuilder(s.base.resolve(startUpload(token))).header("Authorization", "Bearer "
                + token).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build()).statusCode();
    }

    /** Reads until the server answers or closes: the answer's first line, or "closed". */
    private static String answer(Socket socket) throws Exception {
        socket.setSoTimeout(15_000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.isEmpty() ? "closed" : line.toString().trim();
    }

    @Test
    void oneUserStallingBodiesLeavesSlotsForOthersAndStalledBodiesAreDropped() throws Exception {
        String greedy = token("greedy");
        List<Socket> stalled = new ArrayList<>();
        try {
            stalled.add(stalledPatch(greedy));
            stalled.add(stalledPatch(greedy));
            // The two stalled bodies hold greedy's share once the server reads them; wait for the refusal to show.
            int refused = 0;
            for (int i = 0; i < 20 && refused != 429; i++) {
                refused = patch(greedy);
            }
            assertThat(refused).isEqualTo(429);
            assertThat(patch(token("patient"))).isEqualTo(202);
            long begin = System.nanoTime();
            for (Socket socket : stalled) {
                String answer;
                try {
                    answer = answer(socket);
                } catch (SocketTimeoutException e) {
                    answer = "still stalled";
                }
                assertThat(answer).isIn("closed", "HTTP/1.1 400 Bad Request");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(15));
            assertThat(patch(greedy)).isEqualTo(202);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }
}
