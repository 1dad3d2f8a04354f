package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventOutboxTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aPushToUnscannedWritesItsEventWithItsScanJob() {
        try (Database db = Database.sqlite(dir)) {
            JdbcMetadataStore store = new JdbcMetadataStore(db, CLOCK);
            EventOutbox outbox = new EventOutbox(db, CLOCK);
            RepositoryName repo = RepositoryName.of("unscanned/alpha/app");
            byte[] content = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
            Digest digest = Digest.sha256(content);
            store.putManifest(repo, new MetadataStore.StoredManifest(digest, "application/vnd.oci.image.manifest.v1+json",
                    content, null, null, null, CLOCK.instant()), List.of(), List.of(), Optional.of("1.0"), true);
            store.putManifest(RepositoryName.of("other/app"), new MetadataStore.StoredManifest(digest,
                    "application/vnd.oci.image.manifest.v1+json", content, null, null, null, CLOCK.instant()),
                    List.of(), List.of(), Optional.empty(), false);

            List<EventOutbox.Event> events = outbox.after(0, 10);
            assertThat(events).hasSize(1);
            EventOutbox.Event e = events.getFirst();
            assertThat(e.type()).isEqualTo("image.pushed");
            assertThat(e.team()).isEqualTo("alpha");
            assertThat(e.repository()).contains(repo);
            assertThat(e.tag()).contains("1.0");
            assertThat(e.digest()).contains(digest);
            assertThat(e.data().path("size").asLong()).isEqualTo(content.length);
            assertThat(outbox.ofImage(repo, digest)).extracting(EventOutbox.Event::id).containsExactly(e.id());
        }
    }

    @Test
    void anEventOfARolledBackTransactionIsNeverSeen() {
        try (Database db = Database.sqlite(dir)) {
            EventOutbox outbox = new EventOutbox(db, CLOCK);
            long first = outbox.append(EventOutbox.Event.of("policy.changed", "", Json.object().put("version", 2),
                    CLOCK.instant()));
            assertThatThrownBy(() -> db.inTransaction(c -> {
                outbox.append("vulndb.updated", "", Optional.empty(), Optional.empty(), Optional.empty(),
                        Json.object());
                throw new IllegalStateException("the change failed");
            })).isInstanceOf(IllegalStateException.class);
            long third = outbox.append("vulndb.update-failed", "", Optional.empty(), Optional.empty(),
                    Optional.empty(), Json.object());

            assertThat(outbox.after(0, 10)).extracting(EventOutbox.Event::type)
                    .containsExactly("policy.changed", "vulndb.update-failed");
            assertThat(outbox.after(first, 10)).extracting(EventOutbox.Event::id).containsExactly(third);
            assertThat(outbox.after(0, 10).getFirst().data().path("version").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aPageIsFilteredByTypeAndTeams() {
        try (Database db = Database.sqlite(dir)) {
            EventOutbox outbox = new EventOutbox(db, CLOCK);
            long a = outbox.append(EventOutbox.Event.of("policy.changed", "alpha", null, CLOCK.instant()));
            long b = outbox.append(EventOutbox.Event.of("policy.changed", "beta", null, CLOCK.instant()));
            long org = outbox.append(EventOutbox.Event.of("policy.changed", "", null, CLOCK.instant()));
            long c = outbox.append(EventOutbox.Event.of("exception.granted", "alpha", null, CLOCK.instant()));

            assertThat(outbox.after(0, 10, Optional.empty(), Optional.empty())).extracting(EventOutbox.Event::id)
                    .containsExactly(a, b, org, c);
            assertThat(outbox.after(0, 10, Optional.of("policy.changed"), Optional.empty()))
                    .extracting(EventOutbox.Event::id).containsExactly(a, b, org);
            assertThat(outbox.after(0, 10, Optional.empty(), Optional.of(java.util.Set.of("alpha"))))
                    .extracting(EventOutbox.Event::id).containsExactly(a, c);
            assertThat(outbox.after(a, 1, Optional.empty(), Optional.of(java.util.Set.of("alpha", "beta"))))
                    .extracting(EventOutbox.Event::id).containsExactly(b);
            assertThat(outbox.after(0, 10, Optional.of("exception.granted"), Optional.of(java.util.Set.of("beta"))))
                    .isEmpty();
            assertThat(outbox.after(0, 10, Optional.empty(), Optional.of(java.util.Set.of()))).isEmpty();
        }
    }

    @Test
    void anEventTypeIsBounded() {
        assertThatThrownBy(() -> EventOutbox.Event.of("", "", null, CLOCK.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventOutbox.Event.of("x".repeat(65), "", null, CLOCK.instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
