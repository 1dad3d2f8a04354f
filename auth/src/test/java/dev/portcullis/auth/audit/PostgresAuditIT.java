package dev.portcullis.auth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.Auth;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.MutableClock;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.TestAuth;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.LocalPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth migrations and the audit chain on PostgreSQL: two "nodes" (two Auth instances on one database)
 * appending at once still build one intact chain.
 */
class PostgresAuditIT {
    private static LocalPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void concurrentNodesAppendOneIntactChain(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String url = postgres.createDatabase();
        try (Database a = Database.postgresql(url, postgres.user(), "", 4)) {
            Auth nodeA = TestAuth.open(a, dir, clock);
            try (Database b = Database.postgresql(url, postgres.user(), "", 4)) {
                Auth nodeB = TestAuth.open(b, dir, clock);
                nodeA.bootstrapAdmin(Optional.of("postgres admin password"), new RequestContext("t", "r"));
                assertThat(nodeB.identities().principal("admin").orElseThrow().grants())
                        .containsExactly(Grant.global(Role.ADMIN));
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    AuditLog log = (i % 2 == 0 ? nodeA : nodeB).audit();
                    int n = i;
                    work.add(pool.submit(() -> log.append(new AuditEvent("alice", "10.0.0.1", "registry.push",
                            "unscanned/acme/app" + n, "acme", AuditEvent.SUCCESS, "r" + n, ""))));
                }
                for (Future<?> f : work) {
                    f.get();
                }
                pool.shutdown();
                AuditVerifier.Report report = nodeA.audit().verify();
                assertThat(report.problems()).isEmpty();
                assertThat(report.entries()).isEqualTo(101);
                assertThat(report.checkpoints()).isEqualTo(1);
            }
        }
    }
}
