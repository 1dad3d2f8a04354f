package dev.portcullis.auth;

import java.util.Locale;

/**
 * What a principal may do. The first three are global; the last three are held per team, and each team role includes
 * the ones below it (a maintainer can do what a developer can, a developer what a reader can).
 */
public enum Role {
    /** Users, teams and settings. */
    ADMIN(false),
    /** Policies, exceptions, re-scans; sees every repository and the audit log. */
    SECURITY(false),
    /** Read-only access to the audit log and reports. */
    AUDITOR(false),
    /** Team members, robots and the team's policy within its delegation; deletes in the team's unscanned/. */
    MAINTAINER(true),
    /** Pushes to the team's unscanned/ repositories and reads its reports. */
    DEVELOPER(true),
    /** Pulls the team's scanned/ repositories. */
    READER(true);

    private final boolean perTeam;

    Role(boolean perTeam) {
        this.perTeam = perTeam;
    }

    public boolean perTeam() {
        return perTeam;
    }

    /** True when holding this role includes {@code other} (team roles are ordered maintainer > developer > reader). */
    public boolean includes(Role other) {
        if (this == other) {
            return true;
        }
        return perTeam && other.perTeam && ordinal() < other.ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AuthException(AuthException.Reason.INVALID, "unknown role '" + text
                    + "'; roles are admin, security, auditor, maintainer, developer, reader");
        }
    }
}
