package dev.portcullis.server;

import dev.portcullis.auth.Action;
import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Scope;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.token.AccessToken;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Docker registry token authentication on every route. A bearer token is checked against its {@code access} claim
 * alone (no database read on the hot path); HTTP Basic credentials and the current roles are consulted otherwise.
 * When the token lacks an action, the caller gets 401 with a challenge for the scope if their roles would allow it
 * (the client fetches a new token), and 403 DENIED if not.
 */
final class TokenGuard implements Guard {
    private final Auth auth;
    private final Clients clients;

    TokenGuard(Auth auth, Clients clients) {
        this.auth = auth;
        this.clients = clients;
    }

    /** Who the request says it is. */
    private record Caller(Principal principal, Optional<AccessToken> token, boolean presented) {
    }

    @Override
    public Principal authorize(Route route, Exchange ex) {
        Requirement req = Requirement.of(route, ex);
        if (req instanceof Requirement.Public) {
            return Principal.anonymous();
        }
        Caller caller = identify(ex);
        ex.principal(caller.principal());
        switch (req) {
            case Requirement.Authenticated a -> {
                if (!caller.presented()) {
                    throw challenge(ex, Optional.empty(), "authentication required", Optional.empty());
                }
            }
            case Requirement.Management m -> {
                if (!caller.presented()) {
                    throw challenge(ex, Optional.empty(), "authentication required", Optional.empty());
                }
                Principal current = current(caller);
                if (current.isAnonymous()) {
                    throw challenge(ex, Optional.empty(), "the management API needs a user or robot account",
                            Optional.empty());
                }
                return current;
            }
            case Requirement.Catalog c -> {
                boolean ok = caller.token().map(t -> t.grants(Scope.REGISTRY, "catalog", Action.PULL))
                        .orElseGet(() -> auth.policy().catalog(caller.principal()));
                if (!ok) {
                    refuse(ex, caller, auth.policy().catalog(current(caller)), "registry:catalog:*",
                            "listing the catalog needs the admin, security or auditor role");
                }
            }
            case Requirement.Repository r -> {
                if (caller.presented() && !caller.principal().isAnonymous()) {
                    // The caller is known: a name nobody may write is refused as such, exactly as in dev mode.
                    // Anonymous callers are challenged below first, as for any write.
                    r.refuseForbiddenWrites();
                }
                for (Requirement.Access access : r.accesses()) {
                    for (Action action : access.actions()) {
                        boolean ok = caller.token().map(t -> t.grants(Scope.REPOSITORY, access.name(), action))
                                .orElseGet(() -> auth.policy().allowed(caller.principal(), access.name(), action));
                        if (!ok) {
                            Principal current = current(caller);
                            refuse(ex, caller, auth.policy().allowed(current, access.name(), action),
                                    scope(access), current.name() + " may not " + action.wire() + " "
                                            + access.name());
                        }
                    }
                }
            }
            case Requirement.Public p -> throw new IllegalStateException("handled above");
        }
        return caller.principal();
    }

    /** The scope to challenge for: what docker itself would ask (a push always comes with pull). */
    private static String scope(Requirement.Access access) {
        Set<Action> actions = EnumSet.copyOf(access.actions());
        if (actions.contains(Action.PUSH)) {
            actions.add(Action.PULL);
        }
        return "repository:" + access.name() + ":" + actions.stream().sorted().map(Action::wire)
                .collect(Collectors.joining(","));
    }

    private void refuse(Exchange ex, Caller caller, boolean rolesAllow, String scope, String denial) {
        // Anonymous callers (with or without an anonymous token) are told to authenticate: credentials may help.
        if (!caller.presented() || caller.principal().isAnonymous() || (caller.token().isPresent() && rolesAllow)) {
            throw challenge(ex, Optional.of(scope), "authentication required",
                    caller.presented() ? Optional.of("insufficient_scope") : Optional.empty());
        }
        throw new RegistryException(ErrorCode.DENIED, denial);
    }

    /** The principal with its roles as they are now (a token's subject may have lost roles since). */
    private Principal current(Caller caller) {
        if (caller.token().isEmpty()) {
            return caller.principal();
        }
        AccessToken t = caller.token().get();
        if (t.kind() == Principal.Kind.ANONYMOUS) {
            return Principal.anonymous();
        }
        return auth.identities().principal(t.subject()).orElse(Principal.anonymous());
    }

    private Caller identify(Exchange ex) {
        Optional<String> header = ex.header("Authorization");
        if (header.isEmpty()) {
            return new Caller(Principal.anonymous(), Optional.empty(), false);
        }
        String value = header.get().trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String credentials = space < 0 ? "" : value.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            try {
                AccessToken token = auth.tokens().verify(credentials);
                Principal p = new Principal(token.subject(), token.kind(), java.util.List.of(), java.util.List.of());
                return new Caller(p, Optional.of(token), true);
            } catch (AuthException e) {
                auth.audit().append(new AuditEvent("unknown", clients.auditSource(ex), "auth.token.rejected",
                        ex.request().getHttpURI().getPath(), "", AuditEvent.DENIED, ex.requestId(), e.getMessage()));
                throw challenge(ex, Optional.empty(), e.getMessage(), Optional.of("invalid_token"));
            }
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String[] userPass = basic(credentials);
            try {
                Principal p = auth.authenticator().password(userPass[0], userPass[1], clients.context(ex));
                return new Caller(p, Optional.empty(), true);
            } catch (AuthException e) {
                throw fromAuth(ex, e);
            }
        }
        throw challenge(ex, Optional.empty(), "unsupported authorization scheme " + scheme, Optional.empty());
    }

    /** Splits HTTP Basic credentials; anything malformed is simply wrong credentials. */
    static String[] basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
            }
        } catch (IllegalArgumentException e) {
            // falls through: not base64
        }
        return new String[] {"", ""};
    }

    RegistryException fromAuth(Exchange ex, AuthException e) {
        return switch (e.reason()) {
            case LOCKED -> new RegistryException(ErrorCode.TOOMANYREQUESTS, e.getMessage(), Map.of("Retry-After",
                    String.valueOf(Math.max(1, e.retryAfter().map(d -> d.toSeconds()).orElse(1L)))));
            case FORBIDDEN -> new RegistryException(ErrorCode.DENIED, e.getMessage());
            default -> challenge(ex, Optional.empty(), e.getMessage(), Optional.empty());
        };
    }

    RegistryException challenge(Exchange ex, Optional<String> scope, String detail, Optional<String> error) {
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(clients.baseUrl(ex)).append("/token\",service=\"")
                .append(auth.tokens().audience()).append('"');
        scope.ifPresent(s -> h.append(",scope=\"").append(s).append('"'));
        error.ifPresent(e -> h.append(",error=\"").append(e).append('"'));
        return new RegistryException(ErrorCode.UNAUTHORIZED, detail, Map.of("WWW-Authenticate", h.toString()));
    }
}
