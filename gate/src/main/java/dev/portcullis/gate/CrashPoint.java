package dev.portcullis.gate;

import java.util.Locale;

/**
 * Test-only fault injection for the crash trials: started with {@code -Dportcullis.gate.crashAt=<point>} (one of the
 * ids below), the JVM halts at once - no shutdown hooks, no finally blocks, as a SIGKILL would - the first time a
 * job reaches that point, so a trial kills the process at an exact place without racing a timer. Off (and a no-op)
 * when the property is absent, which it always is outside those trials; read once.
 */
enum CrashPoint {
    /** The job is leased and its image marked scanning; nothing judged yet. */
    SCANNING,
    /** Verdict, promotion or rejection, audit entry and job completion written, their transaction not committed. */
    BEFORE_COMMIT,
    /** That transaction committed; the worker has not logged or moved on yet. */
    AFTER_COMMIT;

    private static final String ARMED = System.getProperty("portcullis.gate.crashAt", "");

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    void reach() {
        if (ARMED.equals(id())) {
            Runtime.getRuntime().halt(137);
        }
    }
}
