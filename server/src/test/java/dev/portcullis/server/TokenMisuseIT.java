package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.oci.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Forged and misused tokens and credentials: each refused with the right status, each leaving an audit entry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenMisuseIT {
    private AuthTestServer s;
    private String developerRefresh;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        s = new AuthTestServer(dir);
        s.team("acme");
        s.user("dev", Grant.inTeam("acme", Role.DEVELOPER));
        s.user("leaver", Grant.inTeam("acme", Role.DEVELOPER));
        s.user("locked", Grant.inTeam("acme", Role.READER));
        developerRefresh = s.login("dev", AuthTestServer.PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        s.close();
    }

    private HttpResponse<String> withBearer(String method, String path, String token) throws Exception {
        return s.send(HttpRequest.newBuilder(s.base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token).build());
    }

    private String validToken(Set<String> scopes) throws Exception {
        HttpResponse<String> r = s.token(AuthTestServer.Creds.refresh(developerRefresh), scopes);
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("token").asText();
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("portcullis").subject("dev").audience("portcullis")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("kind", "user")
                .claim("access", List.of(Map.of("type", "repository", "name", "unscanned/acme/app",
                        "actions", List.of("pull", "push"))));
    }

    private String sign(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private void assertRejectedAndAudited(String token, String reason) throws Exception {
        long before = lastSeq();
        HttpResponse<String> r = withBearer("GET", "/v2/unscanned/acme/app/manifests/v1", token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        List<AuditEntry> entries = after(before, "auth.token.rejected");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.event().outcome()).isEqualTo("denied");
            assertThat(e.event().detail()).contains(reason);
            assertThat(e.event().source()).isEqualTo("127.0.0.1");
        });
    }

    private long lastSeq() {
        List<AuditEntry> all = s.server.auth().audit().entries();
        return all.isEmpty() ? 0 : all.getLast().seq();
    }

    /** Entries appended after {@code seq}; request audits are written just after the response, so wait a little. */
    private List<AuditEntry> after(long seq, String action) throws InterruptedException {
        List<AuditEntry> found = List.of();
        for (int i = 0; i < 50 && found.isEmpty(); i++) {
            found = s.server.auth().audit().query(new AuditQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(action), Optional.empty(), Optional.empty(), seq, 100));
            if (found.isEmpty()) {
                Thread.sleep(50);
            }
        }
        return found;
    }

    @Test
    void aValidTokenWorks() throws Exception {
        String token = validToken(Set.of("repository:unscanned/acme/app:pull"));
        assertThat(withBearer("GET", "/v2/unscanned/acme/app/manifests/v1", token).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongSignature() throws Exception {
        String realKid = s.server.auth().keys().signingKey().getKeyID();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(realKid).generate();
        assertRejectedAndAudited(sign(attacker, claims().build()), "signature is invalid");
    }

    @Test
    void algNone() throws Exception {
        assertRejectedAndAudited(new PlainJWT(claims().build()).serialize(), "not a signed JWT");
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                .toString();
        String body = Base64URL.encode(claims().build().toString().getBytes(StandardCharsets.UTF_8)).toString();
        assertRejectedAndAudited(header + "." + body + ".", "not a signed JWT");
    }

    @Test
    void hmacWithThePublicKeyAsSecret() throws Exception {
        ECKey pub = s.server.auth().keys().signingKey().toPublicJWK();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).build(),
                claims().build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(java.security.MessageDigest.getInstance("SHA-256")
                .digest(pub.toJSONString().getBytes(StandardCharsets.UTF_8))));
        assertRejectedAndAudited(jwt.serialize(), "only ES256");
    }

    @Test
    void expired() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        assertRejectedAndAudited(sign(s.server.auth().keys().signingKey(), claims().issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(300))).build()), "expired");
    }

    @Test
    void wrongAudience() throws Exception {
        assertRejectedAndAudited(sign(s.server.auth().keys().signingKey(), claims().audience("another-registry")
                .build()), "another service");
    }

    @Test
    void tamperedAccessClaim() throws Exception {
        String[] parts = validToken(Set.of("repository:unscanned/acme/app:pull")).split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("\"unscanned/acme/app\"", "\"scanned/acme/app\"");
        assertRejectedAndAudited(parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2], "signature is invalid");
    }

    @Test
    void scopeEscalationIsIntersectedAwayAndThenDenied() throws Exception {
        long before = lastSeq();
        String token = validToken(Set.of("repository:scanned/acme/app:pull,push,delete",
                "repository:unscanned/other/app:pull,push", "registry:catalog:*"));
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getJWTClaimsSet().getClaim("access").toString())
                .contains("scanned/acme/app").doesNotContain("push").doesNotContain("other").doesNotContain("catalog");
        assertThat(after(before, "auth.token.issue")).singleElement().satisfies(e -> {
            assertThat(e.event().target()).isEqualTo("repository:scanned/acme/app:pull");
            assertThat(e.event().detail()).contains("scanned/acme/app:pull,push,delete");
        });

        long beforePush = lastSeq();
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.base.resolve("/v2/scanned/acme/app/manifests/v9"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(s.manifest)).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("DENIED").contains("quarantine gate");
        assertThat(after(beforePush, "registry.push")).singleElement().satisfies(e -> {
            assertThat(e.event().actor()).isEqualTo("dev");
            assertThat(e.event().outcome()).isEqualTo("denied");
            assertThat(e.event().target()).isEqualTo("scanned/acme/app:v9");
        });
    }

    @Test
    void aRevokedRefreshTokenIsRefused() throws Exception {
        String refresh = s.login("leaver", AuthTestServer.PASSWORD);
        AuthTestServer.Creds creds = AuthTestServer.Creds.refresh(refresh);
        assertThat(s.token(creds, Set.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> logout = s.call(creds, "POST", "/api/v1/logout", Optional.empty(), "application/json");
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.body()).contains("\"revoked\":1");
        long before = lastSeq();
        HttpResponse<String> reused = s.token(creds, Set.of("repository:unscanned/acme/app:pull"));
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(after(before, "auth.login")).singleElement().satisfies(e -> {
            assertThat(e.event().outcome()).isEqualTo("failure");
            assertThat(e.event().detail()).contains("revoked");
        });
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountWithBackoff() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = s.token(AuthTestServer.Creds.basic("locked", "wrong password " + i), Set.of());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).doesNotContain("wrong password");
        }
        long before = lastSeq();
        HttpResponse<String> locked = s.token(AuthTestServer.Creds.basic("locked", AuthTestServer.PASSWORD),
                Set.of());
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(after(before, "auth.login")).singleElement().satisfies(e -> {
            assertThat(e.event().outcome()).isEqualTo("denied");
            assertThat(e.event().detail()).contains("locked out");
        });
        assertThat(s.server.auth().audit().query(new AuditQuery(Optional.of("locked"), Optional.empty(),
                Optional.empty(), Optional.of("auth.login"), Optional.empty(), Optional.empty(), 0, 100)))
                .extracting(e -> e.event().detail()).noneMatch(d -> d.contains("wrong password"));
    }

    @Test
    void rotationKeepsIssuedTokensValidAndPublishesBothKeys() throws Exception {
        String before = validToken(Set.of("repository:unscanned/acme/app:pull"));
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        s.server.auth().administration().rotateSigningKey(s.admin, s.ctx());
        String after = validToken(Set.of("repository:unscanned/acme/app:pull"));
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isNotEqualTo(oldKid);
        assertThat(withBearer("GET", "/v2/unscanned/acme/app/manifests/v1", before).statusCode()).isEqualTo(200);
        assertThat(withBearer("GET", "/v2/unscanned/acme/app/manifests/v1", after).statusCode()).isEqualTo(200);
        HttpResponse<String> jwks = s.send(HttpRequest.newBuilder(s.base.resolve("/.well-known/jwks.json")).GET()
                .build());
        assertThat(jwks.body()).contains(oldKid).contains(SignedJWT.parse(after).getHeader().getKeyID());
    }

    @Test
    void anonymousTokensReachOnlyTheChosenScannedRepositories() throws Exception {
        AuthTestServer.Creds none = AuthTestServer.Creds.NONE;
        assertThat(s.token(none, Set.of("repository:scanned/acme/app:pull")).statusCode()).isEqualTo(401);
        s.server.auth().administration().setAnonymousPull(s.admin, s.ctx(), List.of("scanned/acme/*"));
        try {
            String scanned = "/v2/scanned/acme/app/manifests/v1";
            assertThat(s.call(none, "GET", scanned, Optional.empty(), "application/json").statusCode()).isEqualTo(200);
            HttpResponse<String> token = s.token(none, Set.of("repository:unscanned/acme/app:pull,push"));
            assertThat(token.statusCode()).isEqualTo(200);
            String anonymous = Json.parse(token.body().getBytes(StandardCharsets.UTF_8)).path("token").asText();
            assertThat(SignedJWT.parse(anonymous).getJWTClaimsSet().getClaim("access").toString()).isEqualTo("[]");
            HttpResponse<String> r = withBearer("GET", "/v2/unscanned/acme/app/manifests/v1", anonymous);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(s.call(none, "PUT", "/v2/scanned/acme/app/manifests/v3", Optional.of(s.manifest),
                    "application/vnd.oci.image.manifest.v1+json").statusCode()).isEqualTo(401);
        } finally {
            s.server.auth().administration().setAnonymousPull(s.admin, s.ctx(), List.of());
        }
    }

    @Test
    void malformedTokenRequestsAreBadRequests() throws Exception {
        assertThat(s.post("/token", "grant_type=client_credentials").statusCode()).isEqualTo(400);
        assertThat(s.post("/token", "grant_type=password&service=elsewhere&username=dev&password=x").statusCode())
                .isEqualTo(400);
        assertThat(s.post("/token", "grant_type=password&scope=" + "x".repeat(20_000)).statusCode()).isEqualTo(400);
        assertThat(s.post("/token", "grant_type=password&username=dev&password=x&scope=garbage").statusCode())
                .isEqualTo(400);
    }

    @Test
    void everyResponseCarriesSecurityHeaders() throws Exception {
        for (String path : List.of("/v2/", "/healthz", "/token", "/no/such/path", "/v2/%2e%2e/%00")) {
            HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.base.resolve(path)).GET().build());
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
        }
        // Refused by Jetty before routing (a header line it cannot parse): its error page gets the headers too.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port())) {
            socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 400").contains("X-Content-Type-Options: nosniff");
        }
    }

    @Test
    void theAuditExportStreamsJsonLines() throws Exception {
        String admin = s.login("admin", AuthTestServer.ADMIN_PASSWORD);
        HttpResponse<String> r = s.call(AuthTestServer.Creds.refresh(admin), "GET", "/api/v1/audit/export",
                Optional.empty(), "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/jsonl");
        assertThat(r.body().lines()).allSatisfy(l -> assertThat(l).startsWith("{\"type\":"));
        assertThat(r.body().lines().count()).isGreaterThan(3);
    }

    @Test
    void theChallengeNamesRealmServiceAndScope() throws Exception {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.base.resolve("/v2/unscanned/acme/app/tags/list"))
                .GET().build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer realm=\""
                + s.base + "/token\",service=\"portcullis\",scope=\"repository:unscanned/acme/app:pull\"");
        HttpResponse<String> jwks = s.send(HttpRequest.newBuilder(s.base.resolve("/.well-known/jwks.json")).GET()
                .build());
        assertThat(jwks.body()).contains("\"kty\":\"EC\"").doesNotContain("\"d\"");
    }

    @Test
    void aDeletedRobotsRefreshTokenDoesNotRedeemForASuccessorOfTheSameName() throws Exception {
        dev.portcullis.auth.Administration admin = s.server.auth().administration();
        dev.portcullis.auth.Identities.NewRobot gone = admin.addRobot(s.admin, s.ctx(), "gone", "acme",
                Role.READER, List.of(), Optional.empty());
        String refresh = s.login(gone.robot().name(), gone.secret());
        admin.deleteRobot(s.admin, s.ctx(), "acme+gone");
        admin.addRobot(s.admin, s.ctx(), "gone", "acme", Role.MAINTAINER, List.of(), Optional.empty());
        long before = lastSeq();
        HttpResponse<String> r = s.token(AuthTestServer.Creds.refresh(refresh),
                Set.of("repository:unscanned/acme/app:pull,push,delete"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(after(before, "auth.login")).singleElement().satisfies(e -> {
            assertThat(e.event().outcome()).isEqualTo("failure");
            assertThat(e.event().detail()).contains("revoked");
        });
    }

    @Test
    void aRefusedBlobUploadToScannedIsAudited() throws Exception {
        String token = validToken(Set.of("repository:scanned/acme/app:pull,push"));
        long before = lastSeq();
        HttpResponse<String> r = withBearer("POST", "/v2/scanned/acme/app/blobs/uploads/", token);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(after(before, "registry.blob.upload")).singleElement().satisfies(e -> {
            assertThat(e.event().actor()).isEqualTo("dev");
            assertThat(e.event().outcome()).isEqualTo("denied");
            assertThat(e.event().target()).isEqualTo("scanned/acme/app");
            assertThat(e.event().team()).isEqualTo("acme");
        });
    }

    @Test
    void theTokenEndpointRefusesScopesThatNameNoValidRepository() throws Exception {
        for (String scope : List.of("repository:unscanned/acme/App:pull,push", "repository:unscanned/acme/a..b:push",
                "repository:unscanned/acme/app/:push")) {
            HttpResponse<String> r = s.token(AuthTestServer.Creds.refresh(developerRefresh), Set.of(scope));
            assertThat(r.statusCode()).as(scope).isEqualTo(400);
            assertThat(r.body()).as(scope).contains("not a valid repository name");
        }
    }
}
