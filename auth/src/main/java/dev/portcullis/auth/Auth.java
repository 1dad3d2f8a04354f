package dev.portcullis.auth;

import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.audit.CheckpointKey;
import dev.portcullis.auth.token.KeyRing;
import dev.portcullis.auth.token.RefreshTokens;
import dev.portcullis.auth.token.TokenService;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The identity and audit component, assembled explicitly: used by the server, and by the CLI directly on a data
 * directory ({@code portcullis admin … --data DIR}).
 */
public final class Auth {
    public static final String ADMIN = "admin";
    public static final String ISSUER = "portcullis";

    private final Identities identities;
    private final Settings settings;
    private final AccessPolicy policy;
    private final KeyRing keys;
    private final TokenService tokens;
    private final RefreshTokens refreshTokens;
    private final AuditLog audit;
    private final Authenticator authenticator;
    private final Administration administration;
    private final Secrets secrets;

    private Auth(Database db, Path dataDir, Clock clock, AuthConfig config) {
        db.migrate("auth");
        this.secrets = new Secrets(new SecureRandom());
        this.identities = new Identities(db, clock, config.hasher(), secrets);
        this.settings = new Settings(db);
        this.policy = new AccessPolicy(settings);
        this.keys = new KeyRing(db, clock, config.keyRotation(), config.keyOverlap());
        this.tokens = new TokenService(keys, clock, ISSUER, config.service(), config.tokenLifetime());
        this.refreshTokens = new RefreshTokens(db, clock, secrets, config.refreshLifetime());
        this.audit = new AuditLog(db, clock, CheckpointKey.loadOrCreate(checkpointKeyFile(dataDir)),
                config.auditCheckpointEvery(), new EventOutbox(db, clock));
        this.authenticator = new Authenticator(identities,
                new LoginThrottle(clock, config.accountThreshold(), config.sourceThreshold(), config.maxLockout()),
                audit, refreshTokens);
        this.administration = new Administration(identities, policy, settings, refreshTokens, audit, keys);
    }

    /** Migrates the component's tables and opens it on {@code db}; the checkpoint key lives under {@code dataDir}. */
    public static Auth open(Database db, Path dataDir, Clock clock, AuthConfig config) {
        return new Auth(db, dataDir, clock, config);
    }

    public static Path checkpointKeyFile(Path dataDir) {
        return dataDir.resolve("keys").resolve("audit-checkpoint.jwk");
    }

    /**
     * On first start, creates the user {@code admin} with {@code password} (from {@code PORTCULLIS_ADMIN_PASSWORD})
     * or, when none is given, a generated one, which is returned so the caller can show it once.
     */
    public Optional<String> bootstrapAdmin(Optional<String> password, RequestContext ctx) {
        if (identities.hasUsers()) {
            return Optional.empty();
        }
        String chosen = password.orElseGet(() -> secrets.generate(""));
        identities.addUser(ADMIN, chosen, List.of(Grant.global(Role.ADMIN)));
        audit.append(new AuditEvent("system", ctx.auditSource(), "admin.user.create", ADMIN, "", AuditEvent.SUCCESS,
                ctx.requestId(), "first admin, password " + (password.isPresent() ? "from the environment"
                : "generated")));
        return password.isPresent() ? Optional.empty() : Optional.of(chosen);
    }

    public Identities identities() {
        return identities;
    }

    public Settings settings() {
        return settings;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public KeyRing keys() {
        return keys;
    }

    public TokenService tokens() {
        return tokens;
    }

    public RefreshTokens refreshTokens() {
        return refreshTokens;
    }

    public AuditLog audit() {
        return audit;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Administration administration() {
        return administration;
    }
}
