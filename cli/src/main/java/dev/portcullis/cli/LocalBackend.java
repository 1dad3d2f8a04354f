package dev.portcullis.cli;

import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthConfig;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Identities;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.auth.audit.Checkpoint;
import dev.portcullis.storage.Database;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Administration on the database of a stopped or running server (SQLite in WAL mode takes a second writer).
 * Whoever can open the data directory is its administrator; actions are audited as {@code cli:<os user>}.
 */
final class LocalBackend implements AdminBackend {
    private final Database db;
    private final Auth auth;
    private final Principal actor;
    private final RequestContext ctx;

    LocalBackend(Path dataDir) {
        this.db = Database.sqlite(dataDir);
        this.auth = Auth.open(db, dataDir, Clock.systemUTC(), AuthConfig.DEFAULTS);
        this.actor = new Principal("cli:" + System.getProperty("user.name", "unknown"), Principal.Kind.USER,
                List.of(Grant.global(Role.ADMIN)), List.of());
        this.ctx = new RequestContext("cli", UUID.randomUUID().toString());
    }

    @Override
    public void addTeam(String name) {
        auth.administration().addTeam(actor, ctx, name);
    }

    @Override
    public void addUser(String name, String password, Optional<String> team, Optional<Role> role) {
        auth.administration().addUser(actor, ctx, name, password, role.map(r -> Grant.of(team, r)));
    }

    @Override
    public void grant(String user, Optional<String> team, Role role) {
        auth.administration().grant(actor, ctx, user, Grant.of(team, role));
    }

    @Override
    public void revoke(String user, Optional<String> team, Role role) {
        auth.administration().revoke(actor, ctx, user, Grant.of(team, role));
    }

    @Override
    public void deleteRobot(String name) {
        auth.administration().deleteRobot(actor, ctx, name);
    }

    @Override
    public String[] addRobot(String name, String team, Role role, List<String> repositories,
                             Optional<Instant> expiresAt) {
        Identities.NewRobot r = auth.administration().addRobot(actor, ctx, name, team, role, repositories, expiresAt);
        return new String[] {r.robot().name(), r.secret()};
    }

    @Override
    public void setAnonymousPull(List<String> patterns) {
        auth.administration().setAnonymousPull(actor, ctx, patterns);
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
        return auth.audit().query(query);
    }

    @Override
    public void export(OutputStream out) throws Exception {
        auth.audit().export(out);
    }

    @Override
    public AuditVerifier.Report verify(Optional<Checkpoint> head) {
        return auth.audit().verify(head);
    }

    /** What this command appended is anchored before it exits, as a server anchors its entries at shutdown. */
    @Override
    public void close() {
        try {
            auth.audit().checkpointOwnAppends();
        } finally {
            db.close();
        }
    }
}
