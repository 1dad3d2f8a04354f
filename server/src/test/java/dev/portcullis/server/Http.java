package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small client for the protocol tests: java.net.http for well-formed requests, a raw socket for what
 * java.net.http refuses to send (truncated bodies, slow senders, arbitrary methods).
 */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    private final TestServer server;

    Http(TestServer server) {
        this.server = server;
    }

    URI uri(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.uri(pathOrUrl);
    }

    /** A request with optional body and header pairs ({@code "Name", "value", ...}). */
    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        b.method(method, publisher);
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    HttpResponse<byte[]> delete(String path) {
        return send("DELETE", path, null);
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send("POST", path, body, headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, body, headers);
    }

    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    // ---- registry operations the tests build on ----------------------------------------------------------------

    /** POST then PUT with the whole body; asserts 201 and returns the digest. */
    Digest pushBlob(String repo, byte[] content) {
        return pushBlob(repo, content, Digest.sha256(content));
    }

    Digest pushBlob(String repo, byte[] content, Digest digest) {
        String location = startUpload(repo);
        HttpResponse<byte[]> r = put(withDigest(location, digest), content, "Content-Type",
                "application/octet-stream");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        return digest;
    }

    /** POST /blobs/uploads/; asserts 202 and returns the Location. */
    String startUpload(String repo) {
        HttpResponse<byte[]> r = post("/v2/" + repo + "/blobs/uploads/", null);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    static String withDigest(String location, Digest digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    /** PUT a manifest by reference; asserts 201 and returns the digest header. */
    Digest pushManifest(String repo, String reference, String mediaType, byte[] manifest) {
        HttpResponse<byte[]> r = put("/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", mediaType);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }

    static String body(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return Json.parse(r.body());
    }

    /** The codes of a spec error body. */
    static List<String> errorCodes(HttpResponse<byte[]> r) {
        List<String> codes = new ArrayList<>();
        JsonNode errors = json(r).get("errors");
        assertThat(errors).as("error body " + body(r)).isNotNull();
        for (JsonNode e : errors) {
            codes.add(e.get("code").asText());
            assertThat(e.get("message").asText()).isNotBlank();
        }
        return codes;
    }

    /** Asserts status and the single spec error code, and that the detail says something. */
    static void assertError(HttpResponse<byte[]> r, int status, String code) {
        assertThat(r.statusCode()).as(body(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(errorCodes(r)).as(body(r)).containsExactly(code);
        assertThat(json(r).get("errors").get(0).path("detail").asText()).as(body(r)).isNotBlank();
    }

    // ---- raw HTTP/1.1 -------------------------------------------------------------------------------------------

    /** A raw response: status line code, headers (lower-cased names) and body. */
    record RawResponse(int status, java.util.Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Opens a socket and writes the request head; the caller writes the body and reads the response. */
    Socket openRaw(String method, String path, String... headers) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(60_000);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        s.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads one response with a Content-Length (or none) from a raw socket. */
    static RawResponse readRaw(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new RawResponse(status, headers, in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed after '" + sb + "'");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Writes {@code body} in {@code pieces} parts with a pause between them (a slow client). */
    static void writeSlowly(OutputStream out, byte[] body, int pieces, Duration pause) throws IOException {
        int step = Math.max(1, body.length / pieces);
        for (int off = 0; off < body.length; off += step) {
            out.write(body, off, Math.min(step, body.length - off));
            out.flush();
            if (off + step < body.length) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }
}
