package dev.portcullis.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.auth.Action;
import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Scope;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the short-lived access tokens of Docker registry token authentication: ES256 JWTs whose
 * {@code access} claim lists the granted actions per repository. Verification accepts nothing but ES256 with a key of
 * the {@link KeyRing}, the right issuer and audience, and a current validity window.
 */
public final class TokenService {
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** Tolerated clock difference between nodes. */
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final KeyRing keys;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;

    public TokenService(KeyRing keys, Clock clock, String issuer, String audience, Duration lifetime) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
    }

    public String audience() {
        return audience;
    }

    public IssuedToken issue(Principal principal, List<Scope> granted) {
        Instant now = clock.instant();
        List<Object> access = new ArrayList<>();
        for (Scope s : granted) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", s.type());
            entry.put("name", s.name());
            entry.put("actions", s.isCatalog() ? List.of("*") : s.actions().stream().sorted().map(Action::wire)
                    .toList());
            access.add(entry);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(principal.name()).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString()).claim("kind", principal.kind().name().toLowerCase())
                .claim("access", access).build();
        ECKey key = keys.signingKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
        return new IssuedToken(jwt.serialize(), now, lifetime);
    }

    /** Verifies a token; the exception's message says what was wrong (never echoing the token). */
    public AccessToken verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("token is too long");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw invalid("token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw invalid("token algorithm " + header.getAlgorithm() + " is not accepted; only ES256 is");
        }
        Optional<ECKey> key = Optional.ofNullable(header.getKeyID()).flatMap(keys::verificationKey);
        if (key.isEmpty()) {
            throw invalid("token was signed by an unknown or expired key");
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.get()))) {
                throw invalid("token signature is invalid");
            }
        } catch (JOSEException e) {
            throw invalid("token signature cannot be verified");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("token claims are malformed");
        }
        Instant now = clock.instant();
        if (!issuer.equals(claims.getIssuer())) {
            throw invalid("token was issued by someone else");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw invalid("token is meant for another service");
        }
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().plus(SKEW).isAfter(now)) {
            throw invalid("token has expired");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(SKEW).isAfter(now)) {
            throw invalid("token is not valid yet");
        }
        // Only tokens this service could have issued: none lives longer than the configured lifetime, so a leaked
        // signing key (or a bug) cannot mint a token that outlives the key's rotation.
        if (claims.getIssueTime() == null) {
            throw invalid("token has no issue time");
        }
        Instant issued = claims.getIssueTime().toInstant();
        if (issued.minus(SKEW).isAfter(now)) {
            throw invalid("token was issued in the future");
        }
        if (Duration.between(issued, claims.getExpirationTime().toInstant()).compareTo(lifetime) > 0) {
            throw invalid("token lifetime is longer than the " + lifetime.toSeconds() + " s this service issues");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid("token has no subject");
        }
        return new AccessToken(claims.getSubject(), kind(claims), access(claims),
                claims.getExpirationTime().toInstant());
    }

    private static Principal.Kind kind(JWTClaimsSet claims) {
        Object k = claims.getClaim("kind");
        try {
            return Principal.Kind.valueOf(String.valueOf(k).toUpperCase());
        } catch (IllegalArgumentException e) {
            throw invalid("token has an unknown principal kind");
        }
    }

    private static List<Scope> access(JWTClaimsSet claims) {
        Object raw = claims.getClaim("access");
        List<Scope> out = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            return out;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("name") instanceof String name) || !(m.get("actions") instanceof List<?> actions)) {
                throw invalid("token access claim is malformed");
            }
            if (type.equals(Scope.REGISTRY)) {
                out.add(Scope.catalog());
                continue;
            }
            Set<Action> set = EnumSet.noneOf(Action.class);
            for (Object a : actions) {
                Action.parse(String.valueOf(a)).ifPresent(set::add);
            }
            try {
                out.add(new Scope(type, name, set));
            } catch (AuthException e) {
                throw invalid("token access claim names no valid repository");
            }
        }
        return out;
    }

    private static AuthException invalid(String why) {
        return new AuthException(AuthException.Reason.UNAUTHORIZED, why);
    }
}
