package dev.portcullis.auth;

import java.time.Duration;
import java.util.Optional;

/** An identity or access failure; the server maps each reason to one HTTP status. */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the request failed. */
    public enum Reason {
        /** No or wrong credentials, or an invalid token: 401. */
        UNAUTHORIZED,
        /** Authenticated, but the principal may not do this: 403. */
        FORBIDDEN,
        /** Too many failures for this account or address: 429 with Retry-After. */
        LOCKED,
        /** Malformed request (bad name, unknown role, weak password): 400. */
        INVALID,
        /** The named user, team or robot does not exist: 404. */
        NOT_FOUND,
        /** The name is taken: 409. */
        CONFLICT
    }

    private final Reason reason;
    private final transient Optional<Duration> retryAfter;

    public AuthException(Reason reason, String message) {
        this(reason, message, Optional.empty());
    }

    public AuthException(Reason reason, String message, Optional<Duration> retryAfter) {
        super(message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
