package dev.portcullis.server;

import dev.portcullis.auth.Principal;

/** Development mode: no authentication; every request acts as {@code dev}. Only scanned/ stays read-only. */
final class DevGuard implements Guard {
    @Override
    public Principal authorize(Route route, Exchange ex) {
        return Principal.dev();
    }
}
