package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The management API of a running server, as the CLI reaches it: discovers the token realm from the {@code /v2/}
 * challenge (as docker does), trades the stored refresh token for an access token, then sends JSON requests.
 */
final class RemoteApi {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final URI server;
    private String accessToken;

    RemoteApi(URI server, SSLContext ssl) {
        this.server = server;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).sslContext(ssl).build();
    }

    /** A failed call, with the server's message. */
    static final class ApiException extends IOException {
        private static final long serialVersionUID = 1L;

        ApiException(String message) {
            super(message);
        }
    }

    /** The realm and service of the server's token challenge. */
    record Challenge(URI realm, String service) {
    }

    Challenge challenge() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve("/v2/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Optional<String> header = r.headers().firstValue("WWW-Authenticate");
        if (r.statusCode() != 401 || header.isEmpty() || !header.get().startsWith("Bearer ")) {
            throw new ApiException(server + " does not ask for token authentication (HTTP " + r.statusCode()
                    + "); is it running in --dev mode?");
        }
        Matcher m = PARAM.matcher(header.get());
        String realm = null;
        String service = "";
        while (m.find()) {
            if (m.group(1).equals("realm")) {
                realm = m.group(2);
            } else if (m.group(1).equals("service")) {
                service = m.group(2);
            }
        }
        if (realm == null) {
            throw new ApiException(server + " sent a challenge without a realm");
        }
        return new Challenge(URI.create(realm), service);
    }

    /** OAuth2 token request; returns the response's JSON. */
    JsonNode token(Map<String, String> form) throws IOException, InterruptedException {
        Challenge c = challenge();
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&")) + "&service=" + enc(c.service()) + "&client_id=portcullis-cli";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.realm())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return check(r);
    }

    void authenticate(String refreshToken) throws IOException, InterruptedException {
        accessToken = token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken))
                .path("access_token").asText();
    }

    JsonNode send(String method, String path, Optional<JsonNode> body) throws IOException, InterruptedException {
        HttpResponse<String> r = raw(method, path, body);
        return check(r);
    }

    HttpResponse<String> raw(String method, String path, Optional<JsonNode> body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .header("Authorization", "Bearer " + accessToken)
                .method(method, body.map(n -> HttpRequest.BodyPublishers.ofByteArray(Json.write(n)))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(n -> b.header("Content-Type", "application/json"));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A GET whose body is streamed to the caller (the audit export: never the whole log in memory). An error answer
     * is read, up to 64 KiB, for the server's message.
     */
    InputStream stream(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(server.resolve(path))
                .header("Authorization", "Bearer " + accessToken).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (InputStream error = r.body()) {
                String body = new String(error.readNBytes(64 << 10), StandardCharsets.UTF_8);
                check(new ErrorAnswer(r.statusCode(), body));
                throw new ApiException("HTTP " + r.statusCode());
            }
        }
        return r.body();
    }

    /** What {@link #check} reads of an answer. */
    private record ErrorAnswer(int statusCode, String body) {
    }

    private static JsonNode check(HttpResponse<String> r) throws ApiException {
        return check(new ErrorAnswer(r.statusCode(), r.body()));
    }

    private static JsonNode check(ErrorAnswer r) throws ApiException {
        JsonNode node;
        try {
            node = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
        } catch (Json.JsonFormatException e) {
            throw new ApiException("HTTP " + r.statusCode() + " with a body that is not JSON");
        }
        if (r.statusCode() >= 400) {
            JsonNode err = node.path("errors").path(0);
            throw new ApiException("HTTP " + r.statusCode() + ": " + err.path("message").asText()
                    + (err.has("detail") ? " (" + err.path("detail").asText() + ")" : ""));
        }
        return node;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
