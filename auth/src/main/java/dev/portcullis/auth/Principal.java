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
 */
public record Principal(String name, Kind kind, List<Grant> grants, List<String> repositories) {

    /** The sort of principal. */
    public enum Kind { USER, ROBOT, ANONYMOUS, DEV }

    public Principal {
        grants = List.copyOf(grants);
        repositories = List.copyOf(repositories);
    }

    public static Principal anonymous() {
        return new Principal("anonymous", Kind.ANONYMOUS, List.of(), List.of());
    }

    /** Development mode: no authentication, everything but writes to scanned/ is allowed. */
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
