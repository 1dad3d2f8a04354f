package dev.portcullis.vulndb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of the vulnerability database: each feed with its record count and the age of its last import, and
 * each download source with its last attempt and error. Staleness is a fact the gate reads, not a log line.
 */
public record DbStatus(List<FeedStatus> feeds, List<SourceStatus> sources, Instant now) {
    public DbStatus {
        feeds = List.copyOf(feeds);
        sources = List.copyOf(sources);
    }

    /** One feed. */
    public record FeedStatus(String name, String format, String source, long records, Instant lastImport) {
    }

    /** One download source; {@code lastError} is empty when the last attempt succeeded. */
    public record SourceStatus(String location, Instant lastAttempt, Instant lastSuccess, String lastError) {
    }

    public long records() {
        return feeds.stream().mapToLong(FeedStatus::records).sum();
    }

    /** The oldest last import among feeds, empty when nothing was imported (which is as stale as it gets). */
    public Optional<Instant> oldestImport() {
        return feeds.stream().map(FeedStatus::lastImport).min(Instant::compareTo);
    }

    /** Age of the stalest feed; a database without feeds is infinitely stale. */
    public Duration staleness() {
        return oldestImport().map(t -> Duration.between(t, now)).orElse(Duration.ofSeconds(Long.MAX_VALUE));
    }

    public boolean isStalerThan(Duration maxAge) {
        return staleness().compareTo(maxAge) > 0;
    }
}
