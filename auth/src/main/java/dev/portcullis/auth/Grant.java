package dev.portcullis.auth;

import java.util.Optional;

/**
 * One role held by a principal: a global role (team empty) or a team role in one team.
 *
 * @param team the team name, or empty for admin, security and auditor
 * @param role the role
 */
public record Grant(Optional<String> team, Role role) {
    public Grant {
        if (role.perTeam() && team.isEmpty()) {
            throw new AuthException(AuthException.Reason.INVALID, "role " + role.wire() + " is held in a team;"
                    + " name the team");
        }
        if (!role.perTeam() && team.isPresent()) {
            throw new AuthException(AuthException.Reason.INVALID, "role " + role.wire() + " is global; it is not"
                    + " held in a team");
        }
        team.ifPresent(Names::requireTeam);
    }

    public static Grant global(Role role) {
        return new Grant(Optional.empty(), role);
    }

    public static Grant inTeam(String team, Role role) {
        return new Grant(Optional.of(team), role);
    }

    /** Builds a grant from the CLI/API form, where the team is optional for global roles. */
    public static Grant of(Optional<String> team, Role role) {
        return new Grant(role.perTeam() ? team : Optional.empty(), role);
    }

    @Override
    public String toString() {
        return team.map(t -> role.wire() + "@" + t).orElse(role.wire());
    }
}
