package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.gate.EventType;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
import dev.portcullis.vulndb.ImportReport;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.store.StoreImport;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own feed updates: every configured source is imported every interval, by one node of a cluster at a
 * time (the lease in table {@code vulndb_update}), with conditional downloads. The time of the last attempt is kept
 * in the database, so a restart waits for the rest of the interval instead of downloading again. An update is one
 * import transaction: a failure leaves the advisories as they were and writes {@code vulndb.update-failed}; a
 * success writes {@code vulndb.updated} with its counts, then wakes whoever re-judges ({@code afterChange}).
 */
final class FeedUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedUpdates.class);
    /** How long an update stays this node's without renewal; renewed every third of it while it runs. */
    static final Duration LEASE = Duration.ofMinutes(3);
    private static final String ACTION = "vulndb.update";

    /** The configured sources (URLs or local paths) and how often they are imported. */
    record Settings(List<String> sources, Duration interval) {
        Settings {
            sources = List.copyOf(sources);
        }
    }

    /** Another node (or another request on this one) holds the update lease. */
    static final class Busy extends RuntimeException {
        Busy(String owner) {
            super("a vulnerability database update is already running (on " + owner + ")");
        }
    }

    private final Database db;
    private final Supplier<VulnDb> vulnDb;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;
    private final Settings settings;
    private final Runnable afterChange;
    private final String node = "node-" + UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("portcullis-feeds").daemon().factory());

    FeedUpdates(Database db, Supplier<VulnDb> vulnDb, EventOutbox events, AuditLog audit, Metrics metrics,
                Clock clock, Settings settings, Runnable afterChange) {
        this.db = db;
        this.vulnDb = vulnDb;
        this.events = events;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
        this.afterChange = afterChange;
        metrics.feedUpdates(() -> lastSuccess().map(t -> t.toEpochMilli() / 1000.0).orElse(0.0));
    }

    /** Checks once a minute (or each interval when shorter) whether an update is due; none without sources. */
    void start() {
        if (settings.sources().isEmpty()) {
            return;
        }
        long every = Math.min(Duration.ofMinutes(1).toMillis(), settings.interval().toMillis());
        timer.scheduleWithFixedDelay(this::updateIfDue, 0, Math.max(1, every), TimeUnit.MILLISECONDS);
    }

    private void updateIfDue() {
        try {
            Optional<Instant> last = lastAttempt();
            if (last.isPresent() && last.get().plus(settings.interval()).isAfter(clock.instant())) {
                return;
            }
            update("scheduler", "scheduler");
        } catch (Busy e) {
            // another node is updating: its result is everyone's
        } catch (RuntimeException e) {
            // logged, audited and raised as an event by update(); the next one comes after the interval
        }
    }

    /**
     * Imports every configured source now, under the lease.
     *
     * @throws Busy when another update holds the lease
     */
    ImportReport update(String actor, String source) {
        return underLease(actor, source, () -> vulnDb.get().importFrom(settings.sources()), settings.sources());
    }

    /** Imports {@code location} (an uploaded file) under the lease, with the same events, audit and metrics. */
    ImportReport importUpload(String location, String actor, String source) {
        return underLease(actor, source, () -> vulnDb.get().importFrom(List.of(location)), List.of("upload"));
    }

    private ImportReport underLease(String actor, String source, Supplier<ImportReport> work, List<String> what) {
        acquire();
        var renewal = timer.scheduleWithFixedDelay(this::renew, LEASE.toMillis() / 3, LEASE.toMillis() / 3,
                TimeUnit.MILLISECONDS);
        Instant started = clock.instant();
        try {
            ImportReport report;
            try {
                report = work.get();
            } catch (RuntimeException e) {
                failed(e, actor, source, started, what);
                throw e;
            }
            succeeded(report, actor, source, started, what);
            return report;
        } finally {
            renewal.cancel(false);
            release();
        }
    }

    private void succeeded(ImportReport report, String actor, String source, Instant started, List<String> what) {
        int added = 0;
        int updated = 0;
        int removed = 0;
        for (StoreImport.FeedCounts c : report.feeds().values()) {
            added += c.added();
            updated += c.updated();
            removed += c.removed();
        }
        ObjectNode data = Json.object();
        data.put("added", added).put("updated", updated).put("removed", removed)
                .put("changedPackages", report.changedPackages().size());
        data.putArray("notModified").addAll(report.notModified().stream()
                .map(s -> (com.fasterxml.jackson.databind.JsonNode) data.textNode(s)).toList());
        data.putArray("sources").addAll(what.stream()
                .map(s -> (com.fasterxml.jackson.databind.JsonNode) data.textNode(s)).toList());
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_update SET last_attempt = ?,"
                    + " last_success = ?, last_error = NULL WHERE id = 1")) {
                s.setString(1, started.toString());
                s.setString(2, now.toString());
                s.executeUpdate();
            }
            // Every source answered (a 304 says the feed is still current), so every feed is as fresh as this
            // update: the age the policy checks is the time since the last successful update, not the last change.
            try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_feed SET last_import = ?")) {
                s.setString(1, now.toString());
                s.executeUpdate();
            }
            events.append(EventOutbox.Event.of(EventType.VULNDB_UPDATED.id(), "", data, now));
            return null;
        });
        audit.append(new AuditEvent(actor, source, ACTION, String.join(" ", what), "", AuditEvent.SUCCESS,
                UUID.randomUUID().toString(), data.toString()));
        LOG.atInfo().addKeyValue("added", added).addKeyValue("updated", updated).addKeyValue("removed", removed)
                .addKeyValue("changedPackages", report.changedPackages().size())
                .addKeyValue("notModified", report.notModified().size()).log("vulnerability database updated");
        if (added + updated + removed > 0) {
            afterChange.run();
        }
    }

    private void failed(RuntimeException e, String actor, String source, Instant started, List<String> what) {
        metrics.feedUpdateFailed();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        ObjectNode data = Json.object().put("reason", reason);
        data.putArray("sources").addAll(what.stream()
                .map(s -> (com.fasterxml.jackson.databind.JsonNode) data.textNode(s)).toList());
        Instant now = clock.instant();
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_update SET last_attempt = ?,"
                        + " last_error = ? WHERE id = 1")) {
                    s.setString(1, started.toString());
                    s.setString(2, reason);
                    s.executeUpdate();
                }
                events.append(EventOutbox.Event.of(EventType.VULNDB_UPDATE_FAILED.id(), "", data, now));
                return null;
            });
            audit.append(new AuditEvent(actor, source, ACTION, String.join(" ", what), "", AuditEvent.FAILURE,
                    UUID.randomUUID().toString(), reason));
        } finally {
            LOG.atWarn().addKeyValue("reason", reason).setCause(e)
                    .log("vulnerability database update failed; the database keeps its previous state");
        }
    }

    private void acquire() {
        long now = clock.millis();
        int taken = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_update SET lease_owner = ?, lease_until = ?"
                    + " WHERE id = 1 AND (lease_owner IS NULL OR lease_until < ?)")) {
                s.setString(1, node);
                s.setLong(2, now + LEASE.toMillis());
                s.setLong(3, now);
                return s.executeUpdate();
            }
        });
        if (taken == 0) {
            throw new Busy(leaseOwner().orElse("another node"));
        }
    }

    private void renew() {
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_update SET lease_until = ?"
                        + " WHERE id = 1 AND lease_owner = ?")) {
                    s.setLong(1, clock.millis() + LEASE.toMillis());
                    s.setString(2, node);
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("renewing the feed update lease failed; will retry");
        }
    }

    private void release() {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE vulndb_update SET lease_owner = NULL,"
                    + " lease_until = NULL WHERE id = 1 AND lease_owner = ?")) {
                s.setString(1, node);
                return s.executeUpdate();
            }
        });
    }

    /** The node holding the update lease now, if any (whether or not it has expired). */
    Optional<String> leaseOwner() {
        return column("lease_owner");
    }

    Optional<Instant> lastSuccess() {
        return column("last_success").map(Instant::parse);
    }

    Optional<Instant> lastAttempt() {
        return column("last_attempt").map(Instant::parse);
    }

    /** This node's name as a lease owner. */
    String node() {
        return node;
    }

    private Optional<String> column(String name) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + name + " FROM vulndb_update WHERE id = 1");
                 ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /** Lets a running update finish (its lease released) within {@code timeout}; no new one starts. */
    void close(Duration timeout) {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow(); // the lease expires and another node (or the next start) takes over
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timer.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
