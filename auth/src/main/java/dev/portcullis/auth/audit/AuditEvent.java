package dev.portcullis.auth.audit;

/**
 * A state-changing action to record. Every field is required, so that no entry lacks the who/where/what/outcome.
 *
 * @param actor     the principal's name ({@code anonymous} when none)
 * @param source    the client's address, or {@code cli} for local administration
 * @param action    what was done, e.g. {@code registry.push}, {@code auth.login}, {@code admin.robot.create}
 * @param target    what it was done to (repository, user, robot, setting)
 * @param team      the team the target belongs to, or empty
 * @param outcome   {@link #SUCCESS}, {@link #FAILURE} or {@link #DENIED} (not enforced here, so that a row
 *                  edited to anything else still reads back and is reported by the verifier)
 * @param requestId the HTTP request id, or a generated one for CLI actions
 * @param detail    free text for humans (never a secret)
 */
public record AuditEvent(String actor, String source, String action, String target, String team, String outcome,
                         String requestId, String detail) {
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String DENIED = "denied";
    private static final int MAX_FIELD = 1024;

    public AuditEvent {
        actor = bounded(actor, "actor");
        source = bounded(source, "source");
        action = bounded(action, "action");
        target = bounded(target, "target");
        team = bounded(team, "team");
        requestId = bounded(requestId, "requestId");
        detail = bounded(detail, "detail");
        outcome = bounded(outcome, "outcome");
    }

    /** Untrusted values (user names typed at a login prompt) are cut, never rejected: the attempt must be logged. */
    private static String bounded(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("audit field " + field + " is required");
        }
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) + "…" : value;
    }
}
