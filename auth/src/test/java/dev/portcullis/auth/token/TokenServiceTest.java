package dev.portcullis.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.portcullis.auth.Action;
import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.MutableClock;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Scope;
import dev.portcullis.storage.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
    @TempDir
    Path dir;
    private Database db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private KeyRing keys;
    private TokenService tokens;
    private final Principal alice = new Principal("alice", Principal.Kind.USER, List.of(), List.of());
    private final List<Scope> pull = List.of(Scope.repository("scanned/acme/app", Set.of(Action.PULL)));

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        db.migrate("auth");
        keys = new KeyRing(db, clock, Duration.ofHours(1), Duration.ofMinutes(11));
        tokens = new TokenService(keys, clock, "portcullis", "registry.test", Duration.ofMinutes(5));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void issuedTokensVerifyWithTheirAccess() {
        AccessToken t = tokens.verify(tokens.issue(alice, pull).token());
        assertThat(t.subject()).isEqualTo("alice");
        assertThat(t.grants("repository", "scanned/acme/app", Action.PULL)).isTrue();
        assertThat(t.grants("repository", "scanned/acme/app", Action.PUSH)).isFalse();
    }

    @Test
    void expiredTokensAreRefused() {
        String token = tokens.issue(alice, pull).token();
        clock.advance(Duration.ofMinutes(6));
        assertRefused(token, "expired");
    }

    @Test
    void wrongAudienceIsRefused() {
        TokenService other = new TokenService(keys, clock, "portcullis", "elsewhere", Duration.ofMinutes(5));
        assertRefused(other.issue(alice, pull).token(), "another service");
    }

    @Test
    void algNoneIsRefused() {
        PlainJWT none = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").issuer("portcullis")
                .audience("registry.test").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertRefused(none.serialize(), "not a signed JWT");
        // The same, dressed as a JWS with an empty signature.
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                .toString();
        String body = none.serialize().split("\\.")[1];
        assertRefused(header + "." + body + ".", "not a signed JWT");
    }

    @Test
    void aTokenLivingLongerThanTheConfiguredLifetimeIsRefusedEvenWhenSignedByTheRing() throws Exception {
        ECKey key = keys.signingKey();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").issuer("portcullis")
                .audience("registry.test").claim("kind", "user");
        assertRefused(signed(key, claims.issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofDays(365)))).build()), "lifetime");
        assertRefused(signed(key, new JWTClaimsSet.Builder(claims.build()).issueTime(null)
                .expirationTime(Date.from(clock.instant().plusSeconds(60))).build()), "no issue time");
        assertRefused(signed(key, claims.issueTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1)).plusSeconds(60))).build()),
                "issued in the future");
        assertThat(tokens.verify(signed(key, claims.issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5)))).build())).subject())
                .isEqualTo("alice");
    }

    private static String signed(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aForeignKeyOrTamperedClaimsAreRefused() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(keys.signingKey().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("alice").issuer("portcullis").audience("registry.test")
                        .expirationTime(Date.from(clock.instant().plusSeconds(60))).claim("kind", "user").build());
        forged.sign(new ECDSASigner(attacker));
        assertRefused(forged.serialize(), "signature is invalid");

        String[] parts = tokens.issue(alice, pull).token().split("\\.");
        String escalated = Base64URL.encode(new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("[\"pull\"]", "[\"pull\",\"push\"]").getBytes(StandardCharsets.UTF_8)).toString();
        assertRefused(parts[0] + "." + escalated + "." + parts[2], "signature is invalid");
    }

    @Test
    void rotationKeepsOldTokensValidForTheOverlapOnly() {
        String before = tokens.issue(alice, pull).token();
        String oldKid = keys.signingKey().getKeyID();
        clock.advance(Duration.ofMinutes(61));
        String after = tokens.issue(alice, pull).token();
        assertThat(keys.signingKey().getKeyID()).isNotEqualTo(oldKid);
        assertThat(keys.publicKeys().getKeys()).hasSize(2);
        assertThat(tokens.verify(after).subject()).isEqualTo("alice");
        clock.advance(Duration.ofMinutes(12));
        assertThat(keys.publicKeys().getKeys()).hasSize(1);
        assertRefused(before, "unknown or expired key");
    }

    @Test
    void publishedKeysArePublic() {
        tokens.issue(alice, pull);
        assertThat(keys.publicKeys().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    }

    private void assertRefused(String token, String why) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.reason()).isEqualTo(AuthException.Reason.UNAUTHORIZED);
            assertThat(e.getMessage()).contains(why);
        });
    }
}
