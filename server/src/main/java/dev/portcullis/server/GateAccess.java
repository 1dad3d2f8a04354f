package dev.portcullis.server;

import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.Role;
import dev.portcullis.gate.GateException;

/**
 * Who may call a gate route (docs/auth.md): the role each route of {@link GateRoutes} declares. Reads are checked
 * here per team; changes are checked again, finely, by the gate itself (which also audits refusals), so this only
 * turns away callers who could never make them.
 */
enum GateAccess {
    /** The API description. */
    ANYONE("anyone"),
    /** Admin, security and auditor read everything; a team's developers and maintainers read their team's. */
    READ("admin, security, auditor; developers and maintainers of the image's team"),
    /** The security role for the organisation's and any team's policy; a maintainer for their team's. */
    POLICY("security; maintainers for their team's policy"),
    /** The security role for any scope; a maintainer for their team when the organisation delegates it. */
    EXCEPTION("security; maintainers for their team if the organisation's policy delegates it"),
    /** Only the security role. */
    SECURITY("security");

    private final String who;

    GateAccess(String who) {
        this.who = who;
    }

    /** Who, in words: the OpenAPI document's {@code x-portcullis-access} says the same. */
    String who() {
        return who;
    }

    /** Refuses a caller who holds no role that could ever pass this route. */
    void require(Principal p) {
        boolean ok = switch (this) {
            case ANYONE -> true;
            case READ -> true; // narrowed per team by readsTeam
            case POLICY, EXCEPTION -> isSecurity(p) || p.grants().stream().anyMatch(g -> g.role() == Role.MAINTAINER);
            case SECURITY -> isSecurity(p);
        };
        if (!ok) {
            throw new GateException(GateException.Reason.FORBIDDEN, "this needs " + who + "; "
                    + p.name() + " holds " + (p.grants().isEmpty() ? "no role" : p.grants().stream()
                    .map(Grant::toString).toList()));
        }
    }

    static boolean isSecurity(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.SECURITY);
    }

    /** Whether {@code p} reads the gate's results for {@code team} (empty: results not tied to one team). */
    static boolean readsTeam(Principal p, String team) {
        if (p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN) || p.has(Role.SECURITY) || p.has(Role.AUDITOR)) {
            return true;
        }
        return !team.isEmpty() && p.has(team, Role.DEVELOPER);
    }

    static void requireReads(Principal p, String team) {
        if (!readsTeam(p, team)) {
            throw new GateException(GateException.Reason.FORBIDDEN, p.name() + " may not read the gate's results"
                    + (team.isEmpty() ? "" : " for team " + team) + ": that needs " + READ.who);
        }
    }
}
