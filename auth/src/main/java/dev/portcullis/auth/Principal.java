package dev.portcullis.auth;

import java.util.List;
import java.util.Optional;

/**
 * Who is asking: a user, a robot account, the anonymous caller, or everyone in development mode.
 *
 * @param name         user name, robot name ({@code team+name}), {@code anonymous} or {@code dev}
 * @param kind         what sort of principal this is
 * @param grants       the roles held
 * @param repositories for robots, the repository patterns the robot is limited to; empty means no limit
 * @param identity     for a user or robot read from the database, which stored identity it is; empty for a
 *                     principal known from an access token only, and for anonymous, dev and the local CLI
 */
public record Principal(String name, Kind kind, List<Grant> grants, List<String> repositories,
                        Optional<Identity> identity) {

    /** The sort of principal. */
    public enum Kind { USER, ROBOT, ANONYMOUS, DEV }

    /**
     * One stored user or robot: {@code id} is its own for life (a later user or robot of the same name gets another),
     * {@code generation} rises whenever its password changes or it is disabled. Refresh tokens are bound to both.
     */
    public record Identity(String id, long generation) {
        public Identity {
            if (id == null || id.isEmpty() || generation < 1) {
                throw new IllegalArgumentException("an identity has an id and a positive generation");
            }
        }
    }

    public Principal {
        grants = List.copyOf(grants);
        repositories = List.copyOf(repositories);
    }

    /** A principal not read from the identity store. */
    public Principal(String name, Kind kind, List<Grant> grants, List<String> repositories) {
        this(name, kind, grants, repositories, Optional.empty());
    }

    public static Principal anonymous() {
        return new Principal("anonymous", Kind.ANONYMOUS, List.of(), List.of());
    }

    /** Development mode: no authentication, everything but writes outside unscanned/ is allowed. */
    public static Principal dev() {
        return new Principal("dev", Kind.DEV, List.of(), List.of());
    }

    public boolean has(Role role) {
        return grants.stream().anyMatch(g -> g.team().isEmpty() && g.role() == role);
    }

    /** True when the principal holds {@code role} (or a higher team role) in {@code team}. */
    public boolean has(String team, Role role) {
        return grants.stream().anyMatch(g -> g.team().equals(Optional.of(team)) && g.role().includes(role));
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }
}
