package dev.portcullis.policy;

import java.util.Objects;

/**
 * An exception that kept a rule from rejecting: which exception, and what it covered.
 *
 * @param exceptionId {@link ExceptionGrant#id()}
 * @param advisory {@link ExceptionGrant#advisory()} as granted (may be an alias of the finding's id)
 * @param expiresAt when the exception stops applying
 * @param covered the rejection it suppressed, with the finding's details
 */
public record ExceptionUse(String exceptionId, String advisory, java.time.Instant expiresAt, Reason covered) {
    public ExceptionUse {
        Objects.requireNonNull(exceptionId, "exceptionId");
        Objects.requireNonNull(advisory, "advisory");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(covered, "covered");
    }
}
