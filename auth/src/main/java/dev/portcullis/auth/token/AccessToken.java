package dev.portcullis.auth.token;

import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Scope;
import java.time.Instant;
import java.util.List;

/**
 * A verified access token: who it was issued to and what it grants.
 *
 * @param subject   the principal's name
 * @param kind      the principal's kind at issue time
 * @param access    the granted scopes
 * @param expiresAt when it stops being accepted
 */
public record AccessToken(String subject, Principal.Kind kind, List<Scope> access, Instant expiresAt) {
    public AccessToken {
        access = List.copyOf(access);
    }

    public boolean grants(String type, String name, dev.portcullis.auth.Action action) {
        return access.stream().anyMatch(s -> s.type().equals(type) && s.name().equals(name)
                && s.actions().contains(action));
    }
}
