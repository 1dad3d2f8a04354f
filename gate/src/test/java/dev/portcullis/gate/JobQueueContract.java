package dev.portcullis.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.testing.MovableClock;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.JdbcMetadataStore;
import dev.portcullis.storage.MetadataStore;
import dev.portcullis.storage.MetadataStore.StoredManifest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The scan jobs as the registry writes them (in the push's own transaction) and the gate's nodes take them: every
 * dialect behaves the same. Implementations give a fresh, empty database.
 */
abstract class JobQueueContract {
    private static final RepositoryName REPO = RepositoryName.of("unscanned/acme/app");

    protected abstract Database database();

    private static StoredManifest manifest(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new StoredManifest(Digest.sha256(b), "application/vnd.oci.image.manifest.v1+json", b,
                "application/vnd.oci.image.config.v1+json", null, Map.of(), Instant.EPOCH);
    }

    private record Setup(MetadataStore store, JobQueue jobs, MovableClock clock) {
    }

    private Setup setup() {
        Database db = database();
        MovableClock clock = MovableClock.fixedAt(Instant.parse("2026-06-01T00:00:00Z"));
        MetadataStore store = new JdbcMetadataStore(db, clock);
        new GateStore(db, clock); // the sweep reads the gate's tables
        return new Setup(store, new JobQueue(db, clock), clock);
    }

    @Test
    void thePushWritesTheJobAndEachJobIsTakenByExactlyOneNode() throws Exception {
        Setup s = setup();
        for (int i = 0; i < 12; i++) {
            s.store().putManifest(REPO, manifest("{\"n\":" + i + "}"), List.of(), List.of(), Optional.of("t" + i),
                    true);
        }
        s.store().putManifest(REPO, manifest("{\"no\":\"job\"}"), List.of(), List.of(), Optional.empty(), false);
        Set<Long> taken = ConcurrentHashMap.newKeySet();
        List<Long> twice = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> nodes = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String owner = "node-" + n;
            nodes.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                Optional<Job> job;
                while ((job = s.jobs().claim(owner, Duration.ofMinutes(1))).isPresent()) {
                    if (!taken.add(job.get().id())) {
                        twice.add(job.get().id());
                    }
                    s.jobs().complete(job.get(), owner);
                }
            }));
        }
        go.countDown();
        for (Thread t : nodes) {
            t.join();
        }
        assertThat(twice).isEmpty();
        assertThat(taken).hasSize(12);
        assertThat(s.jobs().list(Optional.of(Job.State.DONE), 100)).hasSize(12);
    }

    @Test
    void aDeadNodesJobPassesToAnotherAfterItsLeaseAndTheDeadNodeCannotFinishIt() {
        Setup s = setup();
        s.store().putManifest(REPO, manifest("{\"a\":1}"), List.of(), List.of(), Optional.of("1"), true);
        Job first = s.jobs().claim("dead", Duration.ofSeconds(30)).orElseThrow();
        assertThat(s.jobs().claim("alive", Duration.ofSeconds(30))).isEmpty();
        s.clock().advance(Duration.ofSeconds(31));
        Job again = s.jobs().claim("alive", Duration.ofSeconds(30)).orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> s.jobs().complete(first, "dead")).isInstanceOf(JobQueue.LostLease.class);
        s.jobs().complete(again, "alive");
        assertThat(s.jobs().list(Optional.of(Job.State.DONE), 10)).extracting(Job::id).containsExactly(first.id());
    }

    @Test
    void aRenewedLeaseKeepsTheJobAndAFailingJobBacksOffThenEndsInError() {
        Setup s = setup();
        s.store().putManifest(REPO, manifest("{\"b\":1}"), List.of(), List.of(), Optional.of("1"), true);
        Job job = s.jobs().claim("n1", Duration.ofSeconds(30)).orElseThrow();
        s.clock().advance(Duration.ofSeconds(20));
        assertThat(s.jobs().renew("n1", Duration.ofSeconds(30))).isEqualTo(1);
        s.clock().advance(Duration.ofSeconds(20));
        assertThat(s.jobs().claim("n2", Duration.ofSeconds(30))).isEmpty();

        assertThat(s.jobs().fail(job, "n1", "layer unreadable", 2, Duration.ofSeconds(10))).isFalse();
        assertThat(s.jobs().claim("n2", Duration.ofSeconds(30))).as("backing off").isEmpty();
        s.clock().advance(Duration.ofSeconds(11));
        Job retry = s.jobs().claim("n2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(retry.lastError()).contains("layer unreadable");
        assertThat(s.jobs().fail(retry, "n2", "layer unreadable", 2, Duration.ofSeconds(10))).isTrue();
        assertThat(s.jobs().list(Optional.of(Job.State.ERROR), 10)).singleElement()
                .satisfies(j -> assertThat(j.lastError()).contains("layer unreadable"));
        s.clock().advance(Duration.ofHours(1));
        assertThat(s.jobs().claim("n3", Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void theSweepQueuesStoredImagesThatHaveNoJobOnce() {
        Setup s = setup();
        s.store().putManifest(REPO, manifest("{\"old\":1}"), List.of(), List.of(), Optional.of("1"), false);
        s.store().putManifest(RepositoryName.of("library/app"), manifest("{\"elsewhere\":1}"), List.of(), List.of(),
                Optional.of("1"), false);
        assertThat(s.jobs().sweep()).isEqualTo(1);
        assertThat(s.jobs().sweep()).isZero();
        assertThat(s.jobs().claim("n", Duration.ofSeconds(30))).get().extracting(Job::repository).isEqualTo(REPO);
    }
}
