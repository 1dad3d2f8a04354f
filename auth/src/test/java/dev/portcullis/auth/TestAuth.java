package dev.portcullis.auth;

import dev.portcullis.storage.Database;
import java.nio.file.Path;

/** An {@link Auth} on a fresh SQLite database, with a cheap password hash so tests stay fast. */
public final class TestAuth {
    public static final PasswordHasher CHEAP = new PasswordHasher(64, 1);

    private TestAuth() {
    }

    public static Auth open(Database db, Path dir, MutableClock clock) {
        return Auth.open(db, dir, clock, AuthConfig.DEFAULTS.withHasher(CHEAP));
    }
}
