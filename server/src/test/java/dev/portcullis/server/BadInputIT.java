package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.body;
import static dev.portcullis.server.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Input that cannot be read (broken percent-encoding, JSON of the wrong shape, manifests that are not UTF-8, requests
 * Jetty refuses before routing) is a 4xx with a JSON error body: the spec's under {@code /v2/}, the API's elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    /** The codes the distribution spec defines (plus UNKNOWN, which the router answers with for its own faults). */
    private static final Set<String> SPEC_CODES = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
            "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID",
            "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");

    private TestServer server;
    private Http http;

    @BeforeAll
    void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    // ---- percent-encoding and UTF-8 in query strings and forms ---------------------------------------------------

    @Test
    void malformedQueryStringsAreRefusedWithTheSpecErrorUnderV2() throws Exception {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/input/query", "v1");
        String upload = http.startUpload("unscanned/input/query");
        for (String target : List.of(
                "POST /v2/unscanned/input/query/blobs/uploads/?mount=%ZZ&from=unscanned/input/other",
                "POST /v2/unscanned/input/query/blobs/uploads/?digest=sha256%3",
                "PUT " + upload + "?digest=%ZZ",
                "GET /v2/unscanned/input/query/tags/list?n=%ZZ",
                "GET /v2/unscanned/input/query/tags/list?last=%C3%28",
                "GET /v2/_catalog?last=%ZZ",
                "GET /v2/unscanned/input/query/referrers/" + image.manifest() + "?artifactType=%C3%28")) {
            Http.RawResponse r = raw(target, new byte[0]);
            assertJsonError(r, 400, target);
            assertThat(code(r)).as(target).isEqualTo("UNSUPPORTED");
            assertThat(detail(r)).as(target).contains("query");
        }
    }

    @Test
    void malformedQueryStringsAndFormsAreRefusedWithTheApiErrorElsewhere() throws Exception {
        for (String target : List.of("GET /token?scope=%ZZ", "GET /token?service=%C3%28",
                "GET /api/v1/audit?actor=%ZZ", "GET /api/v1/audit?since=%C3%28", "POST /api/v1/gc?grace=%ZZ",
                "DELETE /api/v1/users/nobody/roles?role=%ZZ")) {
            Http.RawResponse r = raw(target, new byte[0]);
            assertJsonError(r, 400, target);
            assertThat(code(r)).as(target).isEqualTo("INVALID");
        }
        for (String form : List.of("grant_type=password&username=admin&password=%C3%28",
                "grant_type=password&username=%ZZ&password=x", "grant_type=refresh_token&refresh_token=%")) {
            Http.RawResponse r = raw("POST /token", form.getBytes(StandardCharsets.US_ASCII),
                    "Content-Type", "application/x-www-form-urlencoded");
            assertJsonError(r, 400, form);
            assertThat(code(r)).as(form).isEqualTo("INVALID");
            assertThat(detail(r)).as(form).contains("form");
        }
    }

    // ---- durations ------------------------------------------------------------------------------------------------

    @Test
    void aGraceLongerThanTheClockCanCountBackIsRefused() throws Exception {
        for (String grace : List.of("9223372036854775807s", "9223372036854775807ms", "153722867280912930m",
                "2562047788015215h", "9223372036854775808s")) {
            HttpResponse<byte[]> r = http.post("/api/v1/gc?grace=" + grace, null);
            assertThat(r.statusCode()).as(body(r)).isEqualTo(400);
            assertThat(code(r)).isEqualTo("INVALID");
            assertThat(message(r)).as(body(r)).contains("grace").contains(grace);
        }
        assertThat(http.post("/api/v1/gc?grace=876000h&dryRun=true", null).statusCode()).as("100 years")
                .isEqualTo(200);
    }

    // ---- management bodies -------------------------------------------------------------------------------------

    @Test
    void aRobotRestrictionGivenAsAStringIsRefusedNotDropped() throws Exception {
        assertThat(http.post("/api/v1/teams", "{\"name\":\"alpha\"}".getBytes()).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> r = post("/api/v1/robots", "{\"name\":\"ci\",\"team\":\"alpha\",\"role\":\"maintainer\","
                + "\"repositories\":\"unscanned/alpha/app\"}");
        assertBadField(r, "repositories");
        assertThat(message(r)).contains("list");
        assertBadField(post("/api/v1/robots", "{\"name\":\"ci\",\"team\":\"alpha\",\"role\":\"maintainer\","
                + "\"repositories\":[5]}"), "repositories");
        assertBadField(post("/api/v1/robots", "{\"name\":\"ci\",\"team\":\"alpha\",\"role\":\"maintainer\","
                + "\"repositories\":[\"unscanned/alpha/app\",null]}"), "repositories");
        assertThat(json(http.get("/api/v1/robots")).get("robots")).as("no robot was created").isEmpty();

        HttpResponse<byte[]> ok = post("/api/v1/robots", "{\"name\":\"ci\",\"team\":\"alpha\",\"role\":"
                + "\"maintainer\",\"repositories\":[\"unscanned/alpha/app\"]}");
        assertThat(ok.statusCode()).as(body(ok)).isEqualTo(201);
        assertThat(json(ok).get("repositories").toString()).isEqualTo("[\"unscanned/alpha/app\"]");
    }

    @Test
    void managementBodiesAreReadStrictly() throws Exception {
        assertThat(http.post("/api/v1/teams", "{\"name\":\"beta\"}".getBytes()).statusCode()).isEqualTo(201);
        // Unknown fields (a typo must not be ignored), wrong types, and values out of range, on every body.
        assertBadField(post("/api/v1/teams", "{\"name\":\"gamma\",\"nmae\":\"gamma\"}"), "nmae");
        assertBadField(post("/api/v1/teams", "{\"name\":5}"), "name");
        assertBadField(post("/api/v1/teams", "{\"name\":[\"gamma\"]}"), "name");
        assertBadField(post("/api/v1/users", "{\"name\":\"bob\",\"password\":\"a-long-password-for-bob\","
                + "\"team\":\"beta\",\"role\":\"developer\",\"admin\":true}"), "admin");
        assertBadField(post("/api/v1/users", "{\"name\":\"bob\",\"password\":123456789012345678,"
                + "\"team\":\"beta\",\"role\":\"developer\"}"), "password");
        assertBadField(post("/api/v1/users", "{\"name\":\"bob\",\"password\":\"a-long-password-for-bob\","
                + "\"team\":{\"name\":\"beta\"},\"role\":\"developer\"}"), "team");
        assertThat(json(http.get("/api/v1/users")).get("users").toString()).doesNotContain("\"bob\"");
        assertBadField(post("/api/v1/users/dev/roles", "{\"role\":true}"), "role");
        assertBadField(post("/api/v1/users/dev/roles", "{\"role\":\"admin\",\"scope\":\"all\"}"), "scope");
        assertBadField(http.put("/api/v1/users/dev/password", "{\"password\":[\"x\"]}".getBytes()), "password");
        assertBadField(http.put("/api/v1/settings", "{\"anonymousPull\":[5]}".getBytes()), "anonymousPull");
        assertBadField(http.put("/api/v1/settings", "{\"anonymousPull\":\"scanned/**\"}".getBytes()),
                "anonymousPull");
        assertBadField(http.put("/api/v1/settings", "{\"anonymousPull\":[],\"anonymous\":true}".getBytes()),
                "anonymous");
        assertThat(json(http.get("/api/v1/settings")).get("anonymousPull")).isEmpty();
        String robot = "{\"name\":\"r\",\"team\":\"beta\",\"role\":\"developer\",\"repositories\":[],\"expiresAt\":";
        assertBadField(post("/api/v1/robots", robot + "\"next week\"}"), "expiresAt");
        assertBadField(post("/api/v1/robots", robot + "1767225600}"), "expiresAt");
        assertBadField(post("/api/v1/robots", robot + "\"+999999999-12-31T23:59:59Z\"}"), "expiresAt");
        assertThat(json(http.get("/api/v1/robots")).get("robots").toString()).doesNotContain("beta+r");
    }

    // ---- manifests that are not UTF-8 JSON ---------------------------------------------------------------------

    @Test
    void manifestsThatAreNotUtf8AreInvalid() throws Exception {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/input/utf", null);
        String text = new String(image.manifestBytes(), StandardCharsets.UTF_8);
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            assertRefused(text.getBytes(charset), charset.name());
        }
        assertRefused(concat(HexFormat.of().parseHex("efbbbf"), image.manifestBytes()), "UTF-8 with a BOM");
        assertRefused(concat(HexFormat.of().parseHex("0000feff"), text.getBytes(Charset.forName("UTF-32BE"))),
                "UTF-32 with a BOM");
        ObjectNode annotated = (ObjectNode) Json.parse(image.manifestBytes());
        annotated.putObject("annotations").put("note", "@@");
        byte[] template = Json.write(annotated);
        for (String bad : List.of("c0af", "e080af", "f0808080", "f4908080", "f7bfbfbf", "eda080", "ff", "c3",
                "80")) {
            assertRefused(splice(template, HexFormat.of().parseHex(bad)), "bytes " + bad);
        }
        // The same manifest with a well-formed four-byte character is fine.
        Digest fine = http.pushManifest("unscanned/input/utf", "emoji", MediaType.OCI_MANIFEST,
                splice(template, "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
        assertThat(fine).isNotNull();
    }

    private void assertRefused(byte[] manifest, String what) {
        HttpResponse<byte[]> r = http.put("/v2/unscanned/input/utf/manifests/bad", manifest, "Content-Type",
                MediaType.OCI_MANIFEST);
        assertError(r, 400, "MANIFEST_INVALID");
        assertThat(json(r).get("errors").get(0).get("detail").asText()).as(what).contains("UTF-8");
        assertThat(http.head("/v2/unscanned/input/utf/manifests/bad").statusCode()).as(what).isEqualTo(404);
    }

    private static byte[] splice(byte[] template, byte[] replacement) {
        String t = new String(template, StandardCharsets.UTF_8);
        int at = t.indexOf("@@");
        return concat(t.substring(0, at).getBytes(StandardCharsets.UTF_8), replacement,
                t.substring(at + 2).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---- requests Jetty refuses before routing -----------------------------------------------------------------

    @Test
    void requestsJettyRefusesAnswerWithTheSpecErrorUnderV2() throws Exception {
        for (String target : List.of("GET /v2/unscanned/input/%00/tags/list",
                "GET /v2/unscanned/input/x%00/manifests/v1",
                "GET /v2/../v2/unscanned/input/app/tags/list", "GET /v2/%2e%2e/%2e%2e/etc/passwd",
                "GET /v2/unscanned/input/app/../../../tags/list", "GET /v2/unscanned/input/app/%2e%2e/%2e%2e/%2e%2e/x",
                "GET /v2/unscanned/input/app%5C..%5C../tags/list", "GET /v2/unscanned/input/app/tags/list;..")) {
            Http.RawResponse r = raw(target, new byte[0]);
            assertJsonError(r, -1, target);
            assertThat(SPEC_CODES).as(target + ": " + r.text()).contains(code(r));
        }
        Http.RawResponse tooLong = raw("GET /v2/unscanned/input/app/tags/list?last=" + "a".repeat(20_000), new byte[0]);
        assertJsonError(tooLong, 414, "414");
        Http.RawResponse headers = raw("GET /v2/unscanned/input/app/tags/list", new byte[0], "X-Big",
                "b".repeat(20_000));
        assertJsonError(headers, 431, "431");
    }

    @Test
    void requestsJettyRefusesAnswerWithTheApiErrorElsewhere() throws Exception {
        for (String target : List.of("GET /api/v1/%00", "GET /api/../../api/v1/whoami",
                "GET /api/v1/%2e%2e/%2e%2e/%2e%2e/x", "GET /../healthz")) {
            Http.RawResponse r = raw(target, new byte[0]);
            assertJsonError(r, -1, target);
        }
        Http.RawResponse badHost = exchange(("GET /api/v1/whoami HTTP/1.1\r\nHost: bad host\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertJsonError(badHost, 400, "bad Host");
        Http.RawResponse twoHosts = exchange(("GET /v2/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertJsonError(twoHosts, 400, "two Host headers");
    }

    // ---- Content-Range --------------------------------------------------------------------------------------------

    @Test
    void aContentRangeBeyondAnyUploadIsReportedWithoutANegativeLength() {
        for (String range : List.of("0-9223372036854775807", "0-99999999999999999999")) {
            HttpResponse<byte[]> r = http.patch(http.startUpload("unscanned/input/range"), new byte[10],
                    "Content-Range", range);
            assertError(r, 400, "SIZE_INVALID");
            assertThat(detail(r)).as(body(r)).contains(range).doesNotContain("-9223372036854775808")
                    .doesNotContainPattern("announces -");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private HttpResponse<byte[]> post(String path, String json) {
        return http.post(path, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    /** A 400 whose message names {@code field}, in the API's error shape. */
    private static void assertBadField(HttpResponse<byte[]> r, String field) {
        assertThat(r.statusCode()).as(body(r)).isEqualTo(400);
        assertThat(code(r)).as(body(r)).isEqualTo("INVALID");
        assertThat(message(r)).as(body(r)).contains("'" + field + "'");
    }

    /** A 4xx (or exactly {@code status} when it is not -1) with a JSON error body and no HTML. */
    private static void assertJsonError(Http.RawResponse r, int status, String what) {
        if (status < 0) {
            assertThat(r.status()).as(what + ": " + r.text()).isBetween(400, 499);
        } else {
            assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
        }
        assertThat(r.headers().get("content-type")).as(what).startsWith("application/json");
        assertThat(r.text()).as(what).doesNotContainIgnoringCase("<html");
        JsonNode error = Json.parse(r.body()).get("errors").get(0);
        assertThat(error.get("code").asText()).as(what).isNotBlank();
        assertThat(error.get("message").asText()).as(what).isNotBlank();
        assertThat(r.headers()).as(what).containsKey("x-content-type-options");
    }

    private static String code(Http.RawResponse r) {
        return Json.parse(r.body()).get("errors").get(0).get("code").asText();
    }

    private static String detail(Http.RawResponse r) {
        JsonNode e = Json.parse(r.body()).get("errors").get(0);
        return e.path("message").asText() + " " + e.path("detail").asText();
    }

    private static String code(HttpResponse<byte[]> r) {
        return json(r).get("errors").get(0).get("code").asText();
    }

    private static String message(HttpResponse<byte[]> r) {
        return json(r).get("errors").get(0).get("message").asText();
    }

    private static String detail(HttpResponse<byte[]> r) {
        return json(r).get("errors").get(0).path("detail").asText();
    }

    /** Sends {@code "METHOD target"} as written (java.net.http refuses malformed escapes) and reads the answer. */
    private Http.RawResponse raw(String methodAndTarget, byte[] body, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(methodAndTarget).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(server.port()).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return exchange(concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body));
    }

    private Http.RawResponse exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return Http.readRaw(s);
        }
    }
}
