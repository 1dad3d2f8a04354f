package dev.portcullis.server;

import dev.portcullis.auth.Principal;

/**
 * Development mode: no authentication; every request acts as {@code dev}. The name rule still holds, exactly as with
 * authentication ({@link Requirement.Repository#refuseForbiddenWrites}): clients write only unscanned/, so what works
 * on a laptop works in production.
 */
final class DevGuard implements Guard {
    @Override
    public Principal authorize(Route route, Exchange ex) {
        if (Requirement.of(route, ex) instanceof Requirement.Repository r) {
            r.refuseForbiddenWrites();
        }
        return Principal.dev();
    }
}
