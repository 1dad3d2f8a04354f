package dev.portcullis.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The event outbox (table {@code events}): state changes are appended in the transaction that makes them, through
 * {@link Database#inTransaction} (which joins the caller's open transaction), so an event exists exactly when its
 * change was committed. Readers page through it by id. On PostgreSQL ids are handed out before commit, so a reader
 * that remembers only the highest id it saw can miss a row that commits later with a lower id: delivery must claim
 * rows it has not yet dispatched rather than trust an id cursor alone.
 */
public final class EventOutbox {
    /** The longest event type name, so the table stays predictable. */
    private static final int MAX_TYPE = 64;

    /**
     * One event.
     *
     * @param id its place in the outbox, 0 before it is appended
     * @param type what happened, as {@code image.promoted} (the gate's {@code EventType} names them)
     * @param team the team it concerns, empty for organisation-wide events
     * @param repository the repository it concerns, when it concerns one
     * @param tag the tag it concerns, when one
     * @param digest the manifest it concerns, when one
     * @param data the rest of what a receiver needs (verdict summary, a link to the report...)
     */
    public record Event(long id, String type, String team, Optional<RepositoryName> repository, Optional<String> tag,
                        Optional<Digest> digest, ObjectNode data, Instant createdAt) {
        public Event {
            Objects.requireNonNull(type, "type");
            if (type.isEmpty() || type.length() > MAX_TYPE) {
                throw new IllegalArgumentException("an event type has 1 to " + MAX_TYPE + " characters: " + type);
            }
            team = team == null ? "" : team;
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(digest, "digest");
            data = data == null ? Json.object() : data;
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** An event about one image (a repository and a digest, with the tag it was pushed or promoted under). */
        public static Event ofImage(String type, String team, RepositoryName repository, Optional<String> tag,
                                    Digest digest, ObjectNode data, Instant at) {
            return new Event(0, type, team, Optional.of(repository), tag, Optional.of(digest), data, at);
        }

        /** An event about no image in particular (a feed update, a policy change of a team or the organisation). */
        public static Event of(String type, String team, ObjectNode data, Instant at) {
            return new Event(0, type, team, Optional.empty(), Optional.empty(), Optional.empty(), data, at);
        }
    }

    private final Database db;
    private final Clock clock;

    public EventOutbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        db.migrate("registry");
    }

    /** Appends {@code event} in the caller's transaction (or a transaction of its own); returns its id. */
    public long append(Event event) {
        return db.inTransaction(c -> insert(c, event));
    }

    /** Appends with the outbox's clock as the event's time. */
    public long append(String type, String team, Optional<RepositoryName> repository, Optional<String> tag,
                       Optional<Digest> digest, ObjectNode data) {
        return append(new Event(0, type, team, repository, tag, digest, data, clock.instant()));
    }

    /** Writes one event on {@code c}: for stores that already hold the transaction's connection. */
    static long insert(Connection c, Event e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO events (type, team, repository, tag, digest, data,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            s.setString(1, e.type());
            s.setString(2, e.team());
            nullable(s, 3, e.repository().map(RepositoryName::value));
            nullable(s, 4, e.tag());
            nullable(s, 5, e.digest().map(Digest::toString));
            s.setString(6, new String(Json.write(e.data()), StandardCharsets.UTF_8));
            s.setLong(7, e.createdAt().toEpochMilli());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Up to {@code limit} events after {@code afterId}, oldest first. */
    public List<Event> after(long afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, type, team, repository, tag, digest, data,"
                    + " created_at FROM events WHERE id > ? ORDER BY id LIMIT ?")) {
                q.setLong(1, afterId);
                q.setInt(2, limit);
                return read(q);
            }
        });
    }

    /**
     * Up to {@code limit} events after {@code afterId}, oldest first, optionally only of {@code type} and only of
     * {@code teams} (the teams a caller may read; an empty set reads nothing).
     */
    public List<Event> after(long afterId, int limit, Optional<String> type, Optional<Set<String>> teams) {
        if (teams.isPresent() && teams.get().isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT id, type, team, repository, tag, digest, data, created_at"
                    + " FROM events WHERE id > ?");
            type.ifPresent(t -> sql.append(" AND type = ?"));
            teams.ifPresent(t -> sql.append(" AND team IN (").append(String.join(", ",
                    java.util.Collections.nCopies(t.size(), "?"))).append(')'));
            sql.append(" ORDER BY id LIMIT ?");
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                int i = 1;
                q.setLong(i++, afterId);
                if (type.isPresent()) {
                    q.setString(i++, type.get());
                }
                if (teams.isPresent()) {
                    for (String t : teams.get()) {
                        q.setString(i++, t);
                    }
                }
                q.setInt(i, limit);
                return read(q);
            }
        });
    }

    /** The events about one image, oldest first: its history as receivers saw it. */
    public List<Event> ofImage(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, type, team, repository, tag, digest, data,"
                    + " created_at FROM events WHERE repository = ? AND digest = ? ORDER BY id")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                return read(q);
            }
        });
    }

    private static List<Event> read(PreparedStatement q) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Optional.ofNullable(rs.getString(4)).map(RepositoryName::of),
                        Optional.ofNullable(rs.getString(5)),
                        Optional.ofNullable(rs.getString(6)).map(Digest::parse),
                        (ObjectNode) Json.parse(rs.getString(7).getBytes(StandardCharsets.UTF_8)), Instant.ofEpochMilli(rs.getLong(8))));
            }
        }
        return out;
    }

    private static void nullable(PreparedStatement s, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            s.setString(i, v.get());
        } else {
            s.setNull(i, Types.VARCHAR);
        }
    }
}
