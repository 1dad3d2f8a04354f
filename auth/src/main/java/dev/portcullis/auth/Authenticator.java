package dev.portcullis.auth;

import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.token.RefreshTokens;
import java.util.Optional;

/**
 * Turns presented credentials (user password, robot secret, refresh token) into a principal, with lock-out and an
 * audit entry for every success and failure. Secrets are never part of a message or an audit entry.
 */
public final class Authenticator {
    private final Identities identities;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final RefreshTokens refreshTokens;

    public Authenticator(Identities identities, LoginThrottle throttle, AuditLog audit, RefreshTokens refreshTokens) {
        this.identities = identities;
        this.throttle = throttle;
        this.audit = audit;
        this.refreshTokens = refreshTokens;
    }

    /** A user name and password, or a robot name and secret. */
    public Principal password(String name, String secret, RequestContext ctx) {
        try {
            throttle.check(name, ctx.source());
        } catch (AuthException locked) {
            record(name, ctx, AuditEvent.DENIED, "locked out: " + locked.getMessage());
            throw locked;
        }
        Optional<Principal> p = identities.authenticate(name, secret);
        if (p.isEmpty()) {
            throttle.failure(name, ctx.source());
            record(name, ctx, AuditEvent.FAILURE, "wrong name or secret");
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "wrong user name or password");
        }
        throttle.success(name);
        record(name, ctx, AuditEvent.SUCCESS, p.get().kind() == Principal.Kind.ROBOT ? "robot secret" : "password");
        return p.get();
    }

    /**
     * A refresh token, checked against revocation and the principal's current state: it redeems only for the very
     * identity it was issued to, in the same generation, never for a later holder of the name.
     */
    public Principal refresh(String refreshToken, RequestContext ctx) {
        RefreshTokens.Holder holder;
        try {
            holder = refreshTokens.redeem(refreshToken);
        } catch (AuthException e) {
            record("unknown", ctx, AuditEvent.FAILURE, "refresh token: " + e.getMessage());
            throw e;
        }
        String subject = holder.name();
        Optional<Principal> p = identities.principal(subject);
        if (p.isEmpty()) {
            record(subject, ctx, AuditEvent.FAILURE, "refresh token of a disabled or deleted principal");
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "the account of this refresh token is"
                    + " disabled");
        }
        if (!p.get().identity().map(holder.identity()::equals).orElse(false)) {
            record(subject, ctx, AuditEvent.FAILURE, "refresh token of an earlier holder of this name, or issued"
                    + " before its credentials changed");
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "this refresh token was issued to an"
                    + " account that no longer exists or whose credentials have changed; log in again");
        }
        record(subject, ctx, AuditEvent.SUCCESS, "refresh token");
        return p.get();
    }

    private void record(String actor, RequestContext ctx, String outcome, String detail) {
        audit.append(new AuditEvent(actor, ctx.auditSource(), "auth.login", actor, "", outcome, ctx.requestId(),
                detail));
    }
}
