package dev.portcullis.auth.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters of the audit query API and CLI; absent filters match everything.
 *
 * @param repository matches the target exactly or any target under it ({@code unscanned/acme} matches
 *                   {@code unscanned/acme/app})
 * @param afterSeq   paging: only entries with a larger sequence number
 * @param limit      at most this many entries (1-10000)
 */
public record AuditQuery(Optional<String> actor, Optional<String> team, Optional<String> repository,
                         Optional<String> action, Optional<Instant> since, Optional<Instant> until, long afterSeq,
                         int limit) {
    public static final int MAX_LIMIT = 10_000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, MAX_LIMIT);
    }
}
