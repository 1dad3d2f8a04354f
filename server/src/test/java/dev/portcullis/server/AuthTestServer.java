package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.Json;
import dev.portcullis.registry.Registry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server with authentication on a random port, the users of every role, and a tiny image in each namespace
 * kind; plus an HTTP client that follows Docker token authentication the way docker does (challenge, token with the
 * challenged scopes, retry).
 */
final class AuthTestServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-for-tests";
    static final String PASSWORD = "a-long-test-password";
    static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
            + "\"diff_ids\":[]}}";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    final PortcullisServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final URI base;
    final String configDigest;
    final String manifestDigest;
    final byte[] manifest;
    final Principal admin = new Principal(dev.portcullis.auth.Auth.ADMIN, Principal.Kind.USER,
            List.of(Grant.global(Role.ADMIN)), List.of());

    AuthTestServer(Path dir) throws Exception {
        this(dir, java.util.function.UnaryOperator.identity());
    }

    /** A server whose configuration {@code adjust} changes from the test defaults. */
    AuthTestServer(Path dir, java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        server = new PortcullisServer(adjust.apply(ServerConfig.defaults().withListen("127.0.0.1", 0)
                .withDataDir(dir)), Clock.systemUTC());
        server.bootstrapAdmin(Optional.of(ADMIN_PASSWORD));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.port());
        byte[] config = CONFIG.getBytes(StandardCharsets.UTF_8);
        configDigest = "sha256:" + sha256(config);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        manifestDigest = "sha256:" + sha256(manifest);
        Registry registry = server.registry();
        for (String repo : List.of("unscanned/acme/app", "unscanned/other/app", "scanned/acme/app",
                "scanned/other/app")) {
            registry.putBlob(Registry.name(repo), configDigest, new ByteArrayInputStream(config));
            registry.putManifest(Registry.name(repo), "v1", "application/vnd.oci.image.manifest.v1+json", manifest);
        }
    }

    RequestContext ctx() {
        return new RequestContext("test", "setup");
    }

    void team(String name) {
        server.auth().administration().addTeam(admin, ctx(), name);
    }

    void user(String name, Grant grant) {
        server.auth().administration().addUser(admin, ctx(), name, PASSWORD, Optional.of(grant));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** How a test client presents itself: a refresh token, HTTP Basic to the token endpoint, or nothing. */
    record Creds(Optional<String> refreshToken, Optional<String> basic) {
        static final Creds NONE = new Creds(Optional.empty(), Optional.empty());

        static Creds refresh(String token) {
            return new Creds(Optional.of(token), Optional.empty());
        }

        static Creds basic(String user, String secret) {
            return new Creds(Optional.empty(), Optional.of(Base64.getEncoder().encodeToString((user + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Password grant with access_type=offline: a refresh token, as docker login gets it. */
    String login(String user, String password) throws Exception {
        HttpResponse<String> r = post("/token", "grant_type=password&access_type=offline&service=portcullis"
                + "&client_id=test&username=" + enc(user) + "&password=" + enc(password));
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("refresh_token").asText();
    }

    HttpResponse<String> post(String path, String form) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /**
     * Sends once more when a pooled connection turns out closed: the server closes a connection after refusing a
     * request whose body it did not read, and the JDK client does not retry non-idempotent requests by itself.
     */
    HttpResponse<String> send(HttpRequest request) throws Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A token for {@code scopes}, or the token endpoint's refusal status. */
    HttpResponse<String> token(Creds creds, Set<String> scopes) throws Exception {
        StringBuilder q = new StringBuilder("service=portcullis");
        for (String s : scopes) {
            q.append("&scope=").append(enc(s));
        }
        if (creds.refreshToken().isPresent()) {
            return post("/token", q + "&grant_type=refresh_token&client_id=test&refresh_token="
                    + enc(creds.refreshToken().get()));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/token?" + q)).GET();
        creds.basic().ifPresent(c -> b.header("Authorization", "Basic " + c));
        return send(b.build());
    }

    /**
     * Sends a request the way docker does: unauthenticated first, then for each 401 challenge a token for the
     * scopes challenged so far, then the request again with it.
     */
    HttpResponse<String> call(Creds creds, String method, String path, Optional<byte[]> body, String contentType)
            throws Exception {
        Set<String> scopes = new LinkedHashSet<>();
        Optional<String> bearer = Optional.empty();
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
                    body.map(HttpRequest.BodyPublishers::ofByteArray).orElse(HttpRequest.BodyPublishers.noBody()));
            if (body.isPresent()) {
                b.header("Content-Type", contentType);
            }
            bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
            r = send(b.build());
            Optional<String> challenge = r.headers().firstValue("WWW-Authenticate");
            if (r.statusCode() != 401 || challenge.isEmpty() || !challenge.get().startsWith("Bearer ")) {
                return r;
            }
            Map<String, String> params = new java.util.HashMap<>();
            Matcher m = PARAM.matcher(challenge.get());
            while (m.find()) {
                params.put(m.group(1), m.group(2));
            }
            if (params.containsKey("scope")) {
                scopes.add(params.get("scope"));
            } else if (bearer.isPresent()) {
                return r;
            }
            HttpResponse<String> t = token(creds, scopes);
            if (t.statusCode() != 200) {
                return r;
            }
            JsonNode tok = Json.parse(t.body().getBytes(StandardCharsets.UTF_8));
            bearer = Optional.of(tok.path("token").asText());
        }
        return r;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
