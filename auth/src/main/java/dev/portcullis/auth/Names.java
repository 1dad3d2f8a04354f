package dev.portcullis.auth;

import java.util.regex.Pattern;

/** The grammar of team, user and robot names. Team names become a path component of repository names. */
public final class Names {
    /** A repository path component of the OCI distribution spec, at most 64 characters. */
    private static final Pattern TEAM = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Robot accounts are named {@code team+name}, so they never collide with a user. */
    public static final char ROBOT_SEPARATOR = '+';

    private Names() {
    }

    public static String requireTeam(String name) {
        if (name == null || name.length() > 64 || !TEAM.matcher(name).matches()) {
            throw new AuthException(AuthException.Reason.INVALID, "team name '" + name + "' must be lower-case"
                    + " letters and digits separated by '.', '_' or '-', at most 64 characters");
        }
        return name;
    }

    public static String requireUser(String name) {
        if (name == null || !USER.matcher(name).matches() || name.equals("anonymous")) {
            throw new AuthException(AuthException.Reason.INVALID, "user name '" + name + "' must be 1-64 lower-case"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit (and not 'anonymous')");
        }
        return name;
    }

    public static boolean isRobot(String name) {
        return name.indexOf(ROBOT_SEPARATOR) > 0;
    }
}
