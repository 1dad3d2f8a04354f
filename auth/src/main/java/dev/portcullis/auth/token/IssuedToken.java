package dev.portcullis.auth.token;

import java.time.Duration;
import java.time.Instant;

/** A freshly signed access token, as the token endpoint returns it. */
public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {
}
