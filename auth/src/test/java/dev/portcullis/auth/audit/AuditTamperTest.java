package dev.portcullis.auth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.Auth;
import dev.portcullis.auth.MutableClock;
import dev.portcullis.auth.TestAuth;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits, deletes, reorders and inserts rows behind the log's back; the verifier must name each. */
class AuditTamperTest {
    @TempDir
    Path dir;
    private Database db;
    private AuditLog log;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        Auth auth = TestAuth.open(db, dir, clock);
        log = auth.audit();
        for (int i = 1; i <= 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.append(new AuditEvent("alice", "10.0.0.1", "registry.push", "unscanned/acme/app" + i, "acme",
                    AuditEvent.SUCCESS, "req-" + i, "tag v" + i));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void sql(String statement, Object... args) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                s.executeUpdate();
            }
            return null;
        });
    }

    private List<AuditVerifier.Problem> problems() {
        return log.verify().problems();
    }

    @Test
    void anUntouchedLogIsIntactAndExportsVerifyOffline() throws Exception {
        log.checkpoint();
        assertThat(log.verify().intact()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        log.export(out);
        AuditLog.Export export = AuditLog.readExport(new BufferedReader(new StringReader(out.toString(
                StandardCharsets.UTF_8))));
        assertThat(export.entries()).hasSize(10);
        AuditVerifier.Report report = AuditVerifier.verify(export.entries(), export.checkpoints(),
                Optional.of(log.publicKey()));
        assertThat(report.intact()).isTrue();
        assertThat(report.checkpoints()).isEqualTo(1);
    }

    @Test
    void eachCheckpointAlsoLeavesAsAnEventWithTheSignedHead() {
        assertThat(new EventOutbox(db, clock).after(0, 100)).isEmpty();
        Checkpoint first = log.checkpoint().orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        log.append(new AuditEvent("bob", "10.0.0.2", "registry.push", "unscanned/acme/other", "acme",
                AuditEvent.SUCCESS, "req-11", "tag v11"));
        Checkpoint second = log.checkpoint().orElseThrow();

        List<EventOutbox.Event> events = new EventOutbox(db, clock).after(0, 100);
        assertThat(events).extracting(EventOutbox.Event::type).containsOnly(AuditLog.CHECKPOINT_EVENT);
        assertThat(events).extracting(e -> e.data().path("seq").asLong()).containsExactly(first.seq(), second.seq());
        assertThat(events.getLast().data().toString()).isEqualTo(log.head().orElseThrow().toJson().toString());
        assertThat(events.getLast().data().path("previous").asLong()).isEqualTo(first.seq());
    }

    @Test
    void anEditedEntryIsNamed() {
        sql("UPDATE audit_entry SET outcome = 'failure' WHERE seq = 4");
        assertThat(problems()).containsExactly(new AuditVerifier.Problem(AuditVerifier.Kind.EDITED, 4,
                "entry 4 was edited: its content no longer matches its hash"));
    }

    @Test
    void anEditWithARecomputedHashIsNamedByItsSuccessor() {
        AuditEntry e = log.query(AuditQuery.all()).get(4);
        AuditEvent forged = new AuditEvent("mallory", e.event().source(), e.event().action(), e.event().target(),
                e.event().team(), e.event().outcome(), e.event().requestId(), e.event().detail());
        sql("UPDATE audit_entry SET actor = 'mallory', hash = ? WHERE seq = 5",
                AuditEntry.hashOf(e.at(), forged, e.prevHash()));
        assertThat(problems()).extracting(AuditVerifier.Problem::kind, AuditVerifier.Problem::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditVerifier.Kind.EDITED, 5L));
    }

    @Test
    void aDeletedEntryIsNamed() {
        sql("DELETE FROM audit_entry WHERE seq = 6");
        assertThat(problems()).containsExactly(new AuditVerifier.Problem(AuditVerifier.Kind.REMOVED, 6,
                "entry 6 was removed"));
    }

    @Test
    void reorderedEntriesAreNamed() {
        sql("UPDATE audit_entry SET seq = -1 WHERE seq = 3");
        sql("UPDATE audit_entry SET seq = 3 WHERE seq = 7");
        sql("UPDATE audit_entry SET seq = 7 WHERE seq = -1");
        assertThat(problems()).containsExactly(
                new AuditVerifier.Problem(AuditVerifier.Kind.REORDERED, 3,
                        "entry 3 is out of order: the chain puts it between entries 6 and 8"),
                new AuditVerifier.Problem(AuditVerifier.Kind.REORDERED, 7,
                        "entry 7 is out of order: the chain puts it between entries 2 and 4"));
    }

    @Test
    void anInsertedEntryIsNamed() {
        AuditEntry four = log.query(AuditQuery.all()).get(3);
        AuditEvent fake = new AuditEvent("alice", "10.0.0.1", "registry.delete", "unscanned/acme/app1", "acme",
                AuditEvent.SUCCESS, "req-x", "");
        Instant at = four.at().plusMillis(500);
        for (int seq = 10; seq >= 5; seq--) {
            sql("UPDATE audit_entry SET seq = ? WHERE seq = ?", seq + 1, seq);
        }
        sql("INSERT INTO audit_entry (seq, at, actor, source, action, target, team, outcome, request_id, detail,"
                        + " prev_hash, hash) VALUES (5, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", at.toString(), fake.actor(),
                fake.source(), fake.action(), fake.target(), fake.team(), fake.outcome(), fake.requestId(),
                fake.detail(), four.hash(), AuditEntry.hashOf(at, fake, four.hash()));
        assertThat(problems()).extracting(AuditVerifier.Problem::kind, AuditVerifier.Problem::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditVerifier.Kind.INSERTED, 5L));
    }

    @Test
    void truncationIsCaughtByACheckpoint() {
        log.checkpoint();
        sql("DELETE FROM audit_entry WHERE seq >= 9");
        assertThat(problems()).extracting(AuditVerifier.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("entries 9 to 10 were removed").contains("truncated"));
    }

    @Test
    void aForgedCheckpointIsNamed() {
        log.checkpoint();
        sql("UPDATE audit_checkpoint SET entry_hash = ? WHERE seq = 10", "0".repeat(64));
        assertThat(problems()).extracting(AuditVerifier.Problem::kind).containsExactly(AuditVerifier.Kind.CHECKPOINT);
    }

    @Test
    void checkpointsAreWrittenPeriodically() {
        for (int i = 0; i < AuditLog.CHECKPOINT_EVERY; i++) {
            log.append(new AuditEvent("bob", "cli", "admin.team.create", "t" + i, "", AuditEvent.SUCCESS, "r", ""));
        }
        assertThat(log.checkpoints()).extracting(Checkpoint::seq).containsExactly((long) AuditLog.CHECKPOINT_EVERY);
        int count = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM audit_entry");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(count).isEqualTo(10 + AuditLog.CHECKPOINT_EVERY);
    }

    @Test
    void queriesFilter() {
        assertThat(log.query(new AuditQuery(Optional.of("alice"), Optional.of("acme"),
                Optional.of("unscanned/acme/app3"), Optional.of("registry"), Optional.empty(), Optional.empty(), 0,
                100))).extracting(e -> e.event().requestId()).containsExactly("req-3");
        assertThat(log.query(new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2026-01-01T00:00:08Z")), Optional.empty(), 0, 100))).hasSize(3);
    }

    private void appendMore(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.append(new AuditEvent("bob", "cli", "admin.team.create", "t" + i, "", AuditEvent.SUCCESS, "r", ""));
        }
    }

    private List<AuditVerifier.Kind> kinds(AuditVerifier.Report report) {
        return report.problems().stream().map(AuditVerifier.Problem::kind).toList();
    }

    @Test
    void deletingTheLatestCountedCheckpointIsCaughtByTheTail() {
        appendMore(60);
        assertThat(log.checkpoints()).extracting(Checkpoint::seq).containsExactly(64L);
        assertThat(log.verify().intact()).isTrue();
        sql("DELETE FROM audit_checkpoint WHERE seq = 64");
        assertThat(problems()).extracting(AuditVerifier.Problem::message).singleElement()
                .satisfies(m -> assertThat(m).contains("no checkpoint anchors the log").contains("entry 64"));
    }

    @Test
    void deletingACheckpointIsCaughtByItsSuccessor() {
        log.checkpoint();
        appendMore(64);
        assertThat(log.checkpoints()).extracting(Checkpoint::seq, Checkpoint::previous)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 0L),
                        org.assertj.core.groups.Tuple.tuple(74L, 10L));
        sql("DELETE FROM audit_checkpoint WHERE seq = 10");
        assertThat(problems()).extracting(AuditVerifier.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("checkpoint at entry 10 was deleted"));
    }

    @Test
    void deletingEveryCheckpointAndRechainingIsCaught() {
        appendMore(60);
        sql("DELETE FROM audit_checkpoint");
        // Re-chain from the genesis with one entry rewritten: every hash is consistent again.
        String prev = AuditEntry.GENESIS;
        for (AuditEntry e : log.entries()) {
            AuditEvent event = e.seq() == 3 ? new AuditEvent("mallory", e.event().source(), e.event().action(),
                    e.event().target(), e.event().team(), e.event().outcome(), e.event().requestId(),
                    e.event().detail()) : e.event();
            String hash = AuditEntry.hashOf(e.at(), event, prev);
            sql("UPDATE audit_entry SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?", event.actor(), prev, hash,
                    e.seq());
            prev = hash;
        }
        assertThat(kinds(log.verify())).containsExactly(AuditVerifier.Kind.CHECKPOINT);
    }

    @Test
    void aHeadKeptOutsideCatchesTruncationAfterTheLastCheckpointInTheDatabase() {
        log.checkpoint();
        appendMore(3);
        Checkpoint head = log.checkpoint().orElseThrow();
        assertThat(log.head()).contains(head);
        assertThat(log.verify(Optional.of(head)).intact()).isTrue();
        sql("DELETE FROM audit_entry WHERE seq >= 12");
        sql("DELETE FROM audit_checkpoint WHERE seq = 13");
        // Without the head, entries 12 and 13 vanished without a trace: they came after the last checkpoint left.
        assertThat(log.verify().intact()).isTrue();
        AuditVerifier.Report withHead = log.verify(Optional.of(head));
        assertThat(withHead.problems()).extracting(AuditVerifier.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("entries 12 to 13 were removed").contains("head"))
                .anySatisfy(m -> assertThat(m).contains("checkpoint at entry 13 was deleted"));
    }

    @Test
    void aHeadKeptOutsideCatchesARewriteUpToIt() {
        Checkpoint head = log.checkpoint().orElseThrow();
        String prev = AuditEntry.GENESIS;
        sql("DELETE FROM audit_checkpoint");
        for (AuditEntry e : log.entries()) {
            String hash = AuditEntry.hashOf(e.at().plusMillis(1), e.event(), prev);
            sql("UPDATE audit_entry SET at = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.at().plusMillis(1)
                    .toString(), prev, hash, e.seq());
            prev = hash;
        }
        assertThat(log.verify().intact()).isTrue();
        assertThat(log.verify(Optional.of(head)).problems()).extracting(AuditVerifier.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("entry 10 does not match the head"));
    }

    @Test
    void aHeadNotSignedByTheLogsKeyIsRefused() {
        Checkpoint head = log.checkpoint().orElseThrow();
        Checkpoint forged = new Checkpoint(head.seq(), head.entryHash(), head.at().plusSeconds(1), head.previous(),
                head.every(), head.kid(), head.signature());
        assertThat(log.verify(Optional.of(forged)).problems()).extracting(AuditVerifier.Problem::message)
                .singleElement().satisfies(m -> assertThat(m).contains("not signed by this log's checkpoint key"));
    }

    @Test
    void entriesAfterTheLastCheckpointAreReportedUnanchoredAndBackdatedOnesAsInserted() {
        log.checkpoint();
        AuditEntry last = log.entries().getLast();
        AuditEvent fake = new AuditEvent("alice", "10.0.0.1", "admin.role.grant", "mallory", "", AuditEvent.SUCCESS,
                "req-x", "role admin");
        Instant at = last.at().plusSeconds(1);
        sql("INSERT INTO audit_entry (seq, at, actor, source, action, target, team, outcome, request_id, detail,"
                        + " prev_hash, hash) VALUES (11, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", at.toString(), fake.actor(),
                fake.source(), fake.action(), fake.target(), fake.team(), fake.outcome(), fake.requestId(),
                fake.detail(), last.hash(), AuditEntry.hashOf(at, fake, last.hash()));
        AuditVerifier.Report report = log.verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.anchoredThrough()).isEqualTo(10);
        assertThat(report.unanchored()).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        log.checkpoint();
        Instant backdated = clock.instant().minus(Duration.ofMinutes(30));
        AuditEntry eleven = log.entries().getLast();
        sql("INSERT INTO audit_entry (seq, at, actor, source, action, target, team, outcome, request_id, detail,"
                        + " prev_hash, hash) VALUES (12, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", backdated.toString(),
                fake.actor(), fake.source(), fake.action(), fake.target(), fake.team(), fake.outcome(),
                fake.requestId(), fake.detail(), eleven.hash(), AuditEntry.hashOf(backdated, fake, eleven.hash()));
        assertThat(log.verify().problems()).extracting(AuditVerifier.Problem::kind, AuditVerifier.Problem::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditVerifier.Kind.INSERTED, 12L));
    }

    @Test
    void checkpointsOfTheFirstFormatStillVerify() {
        // Written before checkpoints named their predecessor: signed over the short payload, every = 0.
        sql("DELETE FROM audit_checkpoint");
        AuditEntry ten = log.entries().getLast();
        String signature = signLegacy(ten);
        sql("INSERT INTO audit_checkpoint (seq, entry_hash, at, kid, signature) VALUES (10, ?, ?, ?, ?)", ten.hash(),
                ten.at().toString(), log.publicKey().getKeyID(), signature);
        assertThat(log.verify().intact()).isTrue();
        appendMore(3);
        assertThat(log.checkpoint().orElseThrow().previous()).isEqualTo(10);
        assertThat(log.verify().intact()).isTrue();
    }

    private String signLegacy(AuditEntry e) {
        return CheckpointKey.loadOrCreate(Auth.checkpointKeyFile(dir)).sign(
                Checkpoint.payload(e.seq(), e.hash(), e.at(), 0, 0));
    }
}
