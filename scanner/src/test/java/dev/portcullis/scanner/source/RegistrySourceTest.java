package dev.portcullis.scanner.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A small registry in the test (JDK HTTP server) serving the corpus' Alpine layout behind Docker token auth,
 * with blobs redirected to a "storage" path that rejects the registry token, as object storage would.
 */
class RegistrySourceTest {
    private static final String TOKEN = "t0ken";
    private HttpServer server;
    private Path layout;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile String requiredBasic;

    @BeforeEach
    void start() throws IOException {
        layout = Corpus.image("alpine-3.10.3").resolve("oci");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.createContext("/storage/", this::storage);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) { // null when the corpus is absent and the test was skipped
            server.stop(0);
        }
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange x) throws IOException {
        tokenRequests.incrementAndGet();
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (requiredBasic != null && !requiredBasic.equals(auth)) {
            send(x, 401, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            return;
        }
        assertThat(x.getRequestURI().getQuery()).contains("scope=repository:library/alpine:pull")
                .contains("service=test");
        send(x, 200, ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private void registry(HttpExchange x) throws IOException {
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                    + "/token\",service=\"test\",scope=\"repository:library/alpine:pull\"");
            send(x, 401, new byte[0], "application/json");
            return;
        }
        String path = x.getRequestURI().getPath();
        String prefix = "/v2/library/alpine/";
        if (path.startsWith(prefix + "manifests/")) {
            String ref = path.substring((prefix + "manifests/").length());
            JsonNode entry = Json.parse(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
            if (!ref.equals("3.10.3") && !ref.equals(entry.path("digest").asText())) {
                send(x, 404, new byte[0], "application/json");
                return;
            }
            Digest d = Digest.parse(entry.path("digest").asText());
            x.getResponseHeaders().add("Docker-Content-Digest", d.toString());
            send(x, 200, Files.readAllBytes(SourcesTest.blob(layout, d)), entry.path("mediaType").asText());
        } else if (path.startsWith(prefix + "blobs/")) {
            x.getResponseHeaders().add("Location", "/storage/" + path.substring((prefix + "blobs/").length()));
            send(x, 307, new byte[0], "text/plain");
        } else {
            send(x, 404, new byte[0], "text/plain");
        }
    }

    private void storage(HttpExchange x) throws IOException {
        if (x.getRequestHeaders().getFirst("Authorization") != null) {
            send(x, 400, "no registry tokens here".getBytes(StandardCharsets.UTF_8), "text/plain");
            return;
        }
        Digest d = Digest.parse(x.getRequestURI().getPath().substring("/storage/".length()));
        send(x, 200, Files.readAllBytes(SourcesTest.blob(layout, d)), "application/octet-stream");
    }

    private static void send(HttpExchange x, int status, byte[] body, String type) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private List<ScanResult> scan(String ref, RegistryCredentials credentials) throws IOException {
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        try (ImageSource source = ImageSources.open(ref, credentials, true)) {
            return scanner.scan(source, null, ScanListener.NONE);
        }
    }

    @Test
    void pullsWithAnonymousTokenAndFollowsBlobRedirectsWithoutTheToken() throws Exception {
        ScanResult r = scan("docker://" + host() + "/library/alpine:3.10.3", RegistryCredentials.none()).getFirst();
        assertThat(r.complete()).as("%s", r.unreadable()).isTrue();
        assertThat(SourcesTest.apkCount(r)).isEqualTo(14);
        assertThat(r.manifestDigest()).isNotNull();
        assertThat(tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void sendsCredentialsToTheTokenServiceAndReportsRefusal() throws Exception {
        requiredBasic = "Basic " + Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(scan("docker://" + host() + "/library/alpine:3.10.3", RegistryCredentials.of("me", "pw")))
                .hasSize(1);
        assertThatThrownBy(() -> scan("docker://" + host() + "/library/alpine:3.10.3",
                RegistryCredentials.of("me", "wrong"))).isInstanceOf(SourceException.class)
                .hasMessageContaining("token service");
    }

    @Test
    void missingTagIsAClearError() {
        assertThatThrownBy(() -> scan("docker://" + host() + "/library/alpine:9.9", RegistryCredentials.none()))
                .isInstanceOf(SourceException.class).hasMessageContaining("does not exist");
    }
}
