package dev.portcullis.policy.model;

import java.time.Instant;

/**
 * The vulnerability database the findings were matched against. Its age is not stored: the evaluation computes
 * {@code db.age} as {@code now - importedAt}, so a stored subject re-judged later sees the database grow older.
 *
 * @param present whether any advisory data was available
 * @param snapshot a content hash naming the data matched against, empty when absent
 * @param importedAt the last successful import or update, null when never
 */
public record DatabaseFacts(boolean present, String snapshot, Instant importedAt) {
    public DatabaseFacts {
        snapshot = snapshot == null ? "" : snapshot;
        if (present && importedAt == null) {
            throw new IllegalArgumentException("a present database has an import time");
        }
    }

    /** No database at all. */
    public static DatabaseFacts absent() {
        return new DatabaseFacts(false, "", null);
    }
}
