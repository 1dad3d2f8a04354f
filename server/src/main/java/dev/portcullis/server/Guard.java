package dev.portcullis.server;

import dev.portcullis.auth.Principal;

/**
 * Decides, before a route's handler runs, who is asking and whether they may: {@link TokenGuard} in normal
 * operation, {@link DevGuard} in development mode. Throws a {@code RegistryException} (registry routes) or an
 * {@code AuthException} (everything else) to refuse; {@link ErrorResponses} maps both.
 */
interface Guard {
    Principal authorize(Route route, Exchange ex);
}
