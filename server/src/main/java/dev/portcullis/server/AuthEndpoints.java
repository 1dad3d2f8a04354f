package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Scope;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.token.IssuedToken;
import dev.portcullis.oci.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.Fields;

/**
 * The token endpoint of Docker registry token authentication (GET with HTTP Basic, as docker and skopeo use it;
 * POST with the OAuth2 password and refresh_token grants, as docker login and podman use it) and the public keys
 * that verify tokens and audit checkpoints.
 */
final class AuthEndpoints {
    private static final int MAX_FORM = 16 * 1024;

    private final Auth auth;
    private final Clients clients;

    AuthEndpoints(Auth auth, Clients clients) {
        this.auth = auth;
        this.clients = clients;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/token", this::tokenGet),
                Route.of("POST", "/token", this::tokenPost),
                Route.of("GET", "/.well-known/jwks.json", this::jwks),
                Route.of("GET", "/.well-known/portcullis-audit-key.json", this::auditKey));
    }

    void tokenGet(Exchange ex) throws Exception {
        requireService(ex.query("service"));
        List<Scope> scopes = Scope.parseAll(ex.queryValues("scope"));
        Optional<String> header = ex.header("Authorization");
        Principal principal;
        String how;
        if (header.isPresent() && header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] userPass = TokenGuard.basic(header.get().substring(6).trim());
            principal = auth.authenticator().password(userPass[0], userPass[1], ctx(ex));
            how = "basic";
        } else if (header.isPresent()) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "the token endpoint takes HTTP Basic"
                    + " credentials or none");
        } else {
            principal = anonymous();
            how = "anonymous";
        }
        boolean offline = ex.query("offline_token").map("true"::equals).orElse(false);
        issue(ex, principal, scopes, offline && !principal.isAnonymous(), Optional.empty(), how);
    }

    void tokenPost(Exchange ex) throws Exception {
        Fields form;
        try {
            form = ex.form(MAX_FORM);
        } catch (Exchange.BodyTooLargeException e) {
            throw new AuthException(AuthException.Reason.INVALID, "a token request body is at most " + MAX_FORM
                    + " bytes");
        }
        requireService(Optional.ofNullable(form.getValue("service")));
        List<Scope> scopes = Scope.parseAll(form.getValuesOrEmpty("scope"));
        String grant = Optional.ofNullable(form.getValue("grant_type")).orElse("");
        switch (grant) {
            case "password" -> {
                String user = Optional.ofNullable(form.getValue("username")).orElse("");
                String password = Optional.ofNullable(form.getValue("password")).orElse("");
                Principal p = auth.authenticator().password(user, password, ctx(ex));
                boolean offline = "offline".equals(form.getValue("access_type"));
                issue(ex, p, scopes, offline, Optional.empty(), "password grant");
            }
            case "refresh_token" -> {
                String refresh = Optional.ofNullable(form.getValue("refresh_token")).orElse("");
                Principal p = auth.authenticator().refresh(refresh, ctx(ex));
                issue(ex, p, scopes, false, Optional.of(refresh), "refresh_token grant");
            }
            default -> throw new AuthException(AuthException.Reason.INVALID, "grant_type must be password or"
                    + " refresh_token");
        }
    }

    private Principal anonymous() {
        auth.settings().reload();
        if (!auth.settings().anonymousPullEnabled()) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "anonymous access is disabled; log in");
        }
        return Principal.anonymous();
    }

    private void requireService(Optional<String> service) {
        if (service.isPresent() && !service.get().equals(auth.tokens().audience())) {
            throw new AuthException(AuthException.Reason.INVALID, "this token service is '"
                    + auth.tokens().audience() + "', not '" + service.get() + "'");
        }
    }

    private void issue(Exchange ex, Principal p, List<Scope> requested, boolean offline, Optional<String> refresh,
                       String how) throws Exception {
        List<Scope> granted = auth.policy().grant(p, requested);
        IssuedToken token = auth.tokens().issue(p, granted);
        ObjectNode body = Json.object();
        body.put("token", token.token());
        body.put("access_token", token.token());
        body.put("expires_in", token.expiresIn().toSeconds());
        body.put("issued_at", token.issuedAt().toString());
        if (offline) {
            body.put("refresh_token", auth.refreshTokens().issue(p));
        } else {
            refresh.ifPresent(r -> body.put("refresh_token", r));
        }
        String grantedText = granted.stream().map(Scope::toString).collect(Collectors.joining(" "));
        auth.audit().append(new AuditEvent(p.name(), clients.auditSource(ex), "auth.token.issue",
                grantedText.isEmpty() ? "(no access)" : grantedText, "", AuditEvent.SUCCESS, ex.requestId(),
                how + "; asked " + requested.stream().map(Scope::toString).collect(Collectors.joining(" "))
                        + (offline ? "; refresh token issued" : "")));
        ex.header("Cache-Control", "no-store").status(200).sendJson(Json.write(body));
    }

    void jwks(Exchange ex) throws Exception {
        ex.header("Cache-Control", "max-age=60").status(200).send("application/jwk-set+json",
                auth.keys().publicKeys().toString(true).getBytes(StandardCharsets.UTF_8));
    }

    void auditKey(Exchange ex) throws Exception {
        ex.status(200).send("application/jwk+json", auth.audit().publicKey().toJSONString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private dev.portcullis.auth.RequestContext ctx(Exchange ex) {
        return clients.context(ex);
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
