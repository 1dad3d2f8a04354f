package dev.portcullis.auth;

import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.token.KeyRing;
import dev.portcullis.auth.token.RefreshTokens;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Management operations as the API and the CLI perform them: each checks the actor's right first, then acts, and
 * appends one audit entry whatever the outcome. Admins manage everything; a team's maintainers manage that team's
 * members (team roles only) and robots. Robots manage no identities ({@link AccessPolicy#managesTeam}).
 */
public final class Administration {
    private final Identities identities;
    private final AccessPolicy policy;
    private final Settings settings;
    private final RefreshTokens refreshTokens;
    private final AuditLog audit;
    private final KeyRing keys;

    public Administration(Identities identities, AccessPolicy policy, Settings settings, RefreshTokens refreshTokens,
                          AuditLog audit, KeyRing keys) {
        this.identities = identities;
        this.policy = policy;
        this.settings = settings;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.keys = keys;
    }

    /**
     * Retires the token signing key now (a suspected leak, or policy): tokens it signed stay valid for the overlap
     * only, new ones are signed by a fresh key.
     */
    public void rotateSigningKey(Principal actor, RequestContext ctx) {
        act(actor, ctx, "admin.keys.rotate", "token signing key", "", "", policy.administers(actor), () -> {
            keys.rotate();
            return null;
        });
    }

    /**
     * A maintenance task on the registry's storage, such as garbage collection: administrators only, audited with
     * its outcome like every other administrative act.
     */
    public <T> T maintain(Principal actor, RequestContext ctx, String action, String detail, Supplier<T> work) {
        return act(actor, ctx, action, "registry storage", "", detail, policy.administers(actor), work);
    }

    public void addTeam(Principal actor, RequestContext ctx, String name) {
        act(actor, ctx, "admin.team.create", name, name, "", policy.administers(actor), () -> {
            identities.addTeam(name);
            return null;
        });
    }

    public void addUser(Principal actor, RequestContext ctx, String name, String password, Optional<Grant> grant) {
        String team = grant.flatMap(Grant::team).orElse("");
        act(actor, ctx, "admin.user.create", name, team, grant.map(g -> "role " + g).orElse("no role"),
                mayGrant(actor, grant), () -> {
                    identities.addUser(name, password, grant.map(List::of).orElse(List.of()));
                    return null;
                });
    }

    public void grant(Principal actor, RequestContext ctx, String user, Grant grant) {
        act(actor, ctx, "admin.role.grant", user, grant.team().orElse(""), "role " + grant,
                mayGrant(actor, Optional.of(grant)), () -> {
                    identities.grant(user, grant);
                    return null;
                });
    }

    public void revoke(Principal actor, RequestContext ctx, String user, Grant grant) {
        act(actor, ctx, "admin.role.revoke", user, grant.team().orElse(""), "role " + grant,
                mayGrant(actor, Optional.of(grant)), () -> {
                    identities.revoke(user, grant);
                    return null;
                });
    }

    public void setUserDisabled(Principal actor, RequestContext ctx, String user, boolean disabled) {
        act(actor, ctx, disabled ? "admin.user.disable" : "admin.user.enable", user, "", "",
                policy.administers(actor), () -> {
                    identities.setUserDisabled(user, disabled);
                    if (disabled) {
                        refreshTokens.revokeAll(user);
                    }
                    return null;
                });
    }

    /** Admins set anyone's password, users their own; every refresh token of the user is revoked. */
    public void setPassword(Principal actor, RequestContext ctx, String user, String password) {
        boolean self = actor.kind() == Principal.Kind.USER && actor.name().equals(user);
        act(actor, ctx, "admin.user.password", user, "", "", self || policy.administers(actor), () -> {
            identities.setPassword(user, password);
            refreshTokens.revokeAll(user);
            return null;
        });
    }

    public Identities.NewRobot addRobot(Principal actor, RequestContext ctx, String name, String team, Role role,
                                        List<String> repositories, Optional<Instant> expiresAt) {
        boolean allowed = policy.managesTeam(actor, team)
                && (policy.administers(actor) || actor.has(team, role));
        return act(actor, ctx, "admin.robot.create", team + Names.ROBOT_SEPARATOR + name, team,
                "role " + role.wire() + (repositories.isEmpty() ? "" : " repositories " + repositories)
                        + expiresAt.map(e -> " expires " + e).orElse(""), allowed,
                () -> identities.addRobot(name, team, role, repositories, expiresAt, actor.name()));
    }

    public void deleteRobot(Principal actor, RequestContext ctx, String robot) {
        String team = robot.contains(String.valueOf(Names.ROBOT_SEPARATOR))
                ? robot.substring(0, robot.indexOf(Names.ROBOT_SEPARATOR)) : "";
        act(actor, ctx, "admin.robot.delete", robot, team, "", !team.isEmpty() && policy.managesTeam(actor, team),
                () -> {
                    identities.deleteRobot(robot);
                    refreshTokens.revokeAll(robot);
                    return null;
                });
    }

    public void setAnonymousPull(Principal actor, RequestContext ctx, List<String> patterns) {
        act(actor, ctx, "admin.settings.change", "anonymousPull", "", "anonymousPull = " + patterns,
                policy.administers(actor), () -> {
                    settings.setAnonymousPull(patterns);
                    return null;
                });
    }

    /** Logout: revokes the actor's own refresh tokens. */
    public int revokeTokens(Principal actor, RequestContext ctx) {
        return act(actor, ctx, "auth.token.revoke", actor.name(), "", "all refresh tokens",
                actor.kind() == Principal.Kind.USER || actor.kind() == Principal.Kind.ROBOT,
                () -> refreshTokens.revokeAll(actor.name()));
    }

    public List<String> teams(Principal actor) {
        require(policy.seesDirectory(actor));
        return identities.teams();
    }

    public List<Identities.UserInfo> users(Principal actor) {
        require(policy.seesDirectory(actor));
        return identities.users();
    }

    /** The directory readers see every robot; a maintainer sees those of the teams they maintain. */
    public List<Identities.RobotInfo> robots(Principal actor) {
        if (policy.seesDirectory(actor)) {
            return identities.robots();
        }
        List<Identities.RobotInfo> own = identities.robots().stream()
                .filter(r -> policy.managesTeam(actor, r.team())).toList();
        require(actor.grants().stream()
                .anyMatch(g -> g.team().isPresent() && policy.managesTeam(actor, g.team().get())));
        return own;
    }

    public List<String> anonymousPull(Principal actor) {
        require(policy.seesDirectory(actor));
        return settings.anonymousPullPatterns();
    }

    private boolean mayGrant(Principal actor, Optional<Grant> grant) {
        if (policy.administers(actor)) {
            return true;
        }
        return grant.isPresent() && grant.get().team().isPresent()
                && policy.managesTeam(actor, grant.get().team().get());
    }

    private static void require(boolean allowed) {
        if (!allowed) {
            throw new AuthException(AuthException.Reason.FORBIDDEN, "your roles do not allow this");
        }
    }

    private <T> T act(Principal actor, RequestContext ctx, String action, String target, String team, String detail,
                      boolean allowed, Supplier<T> work) {
        if (!allowed) {
            audit.append(new AuditEvent(actor.name(), ctx.auditSource(), action, target, team, AuditEvent.DENIED,
                    ctx.requestId(), detail));
            throw new AuthException(AuthException.Reason.FORBIDDEN, "your roles do not allow " + action
                    + " on " + target);
        }
        try {
            T result = work.get();
            audit.append(new AuditEvent(actor.name(), ctx.auditSource(), action, target, team, AuditEvent.SUCCESS,
                    ctx.requestId(), detail));
            return result;
        } catch (RuntimeException e) {
            audit.append(new AuditEvent(actor.name(), ctx.auditSource(), action, target, team, AuditEvent.FAILURE,
                    ctx.requestId(), detail.isEmpty() ? e.getMessage() : detail + ": " + e.getMessage()));
            throw e;
        }
    }
}
