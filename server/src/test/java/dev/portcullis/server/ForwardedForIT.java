package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a proxy, the client address is the one the trusted proxy appended to X-Forwarded-For, never an entry the
 * client wrote itself; this test plays the proxy (the peer is 127.0.0.1) in front of a real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedForIT {
    private PortcullisServer server;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new PortcullisServer(ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(dir)
                .withSecurity(new ServerConfig.Security(Optional.empty(), Optional.empty(), true, Optional.empty(),
                        Duration.ofMinutes(5))), Clock.systemUTC());
        server.start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> login(String user, String forwardedFor) throws Exception {
        String form = "grant_type=password&service=portcullis&client_id=test&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=wrong-password-guess";
        return http.send(HttpRequest.newBuilder(base.resolve("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<AuditEntry> logins(String actor) {
        return server.auth().audit().query(new AuditQuery(Optional.of(actor), Optional.empty(), Optional.empty(),
                Optional.of("auth.login"), Optional.empty(), Optional.empty(), 0, 100));
    }

    @Test
    void theAuditRecordsTheAddressTheProxyAppendedAndThePeer() throws Exception {
        assertThat(login("ann", "203.0.113.9, 198.51.100.7").statusCode()).isEqualTo(401);
        assertThat(logins("ann")).singleElement().satisfies(e ->
                assertThat(e.event().source()).isEqualTo("198.51.100.7 via 127.0.0.1"));
    }

    @Test
    void anEntryThatIsNotAnIpAddressIsNotBelieved() throws Exception {
        assertThat(login("bob", "registry.example.com").statusCode()).isEqualTo(401);
        assertThat(login("bob", "198.51.100.7, 10.0.0.1; rm").statusCode()).isEqualTo(401);
        assertThat(logins("bob")).extracting(e -> e.event().source()).containsExactly("127.0.0.1", "127.0.0.1");
    }

    @Test
    void forgedLeadingEntriesDoNotEscapeThePerAddressThrottle() throws Exception {
        int status = 0;
        for (int i = 0; i < 40 && status != 429; i++) {
            // A fresh forged first entry and a fresh account each time: only the appended address stays the same.
            // Robot names, whose secrets are checked with one SHA-256, keep the loop fast.
            status = login("acme+guess" + i, "192.0.2." + (i + 1) + ", 198.51.100.99").statusCode();
        }
        assertThat(status).isEqualTo(429);
    }
}
