package dev.portcullis.policy;

/**
 * Who a policy document belongs to: the organisation (binds every image) or one team (binds its images only).
 *
 * @param team the team's name, or null for the organisation
 */
public record Owner(String team) {
    public static final String ORGANISATION = "organisation";

    public Owner {
        if (team != null && (team.isBlank() || team.contains(":"))) {
            throw new IllegalArgumentException("a team name is not blank and has no ':'");
        }
    }

    public static Owner organisation() {
        return new Owner(null);
    }

    public static Owner team(String team) {
        return new Owner(java.util.Objects.requireNonNull(team, "team"));
    }

    public boolean isOrganisation() {
        return team == null;
    }

    /** {@code organisation} or {@code team:<name>}: the key of {@link Verdict#policyVersions()}. */
    public String key() {
        return team == null ? ORGANISATION : "team:" + team;
    }

    /** The inverse of {@link #key()}. */
    public static Owner ofKey(String key) {
        if (ORGANISATION.equals(key)) {
            return organisation();
        }
        if (key != null && key.startsWith("team:")) {
            return team(key.substring("team:".length()));
        }
        throw new IllegalArgumentException("'" + key + "' is neither 'organisation' nor 'team:<name>'");
    }

    @Override
    public String toString() {
        return key();
    }
}
