package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthConfig;
import dev.portcullis.gate.EventType;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
import dev.portcullis.vulndb.ImportReport;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.FeedException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own feed updates against the corpus feeds: local paths and a loopback HTTP source that answers 304 to
 * a conditional request, the interval schedule, failures that leave the database as it was, and the lease that lets
 * one node update at a time.
 */
class FeedUpdatesIT {
    private static final Path FEEDS = dev.portcullis.oci.testing.Corpus.require().resolve("feeds");
    private static final String SERVED = "/go/GO-2023-1751.json";
    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger conditional = new AtomicInteger();
    /** Answered by the test source instead of the feed while positive. */
    private final AtomicInteger status = new AtomicInteger(200);
    /** While set, the source holds each request until it is counted down. */
    private volatile CountDownLatch hold;
    private final CountDownLatch held = new CountDownLatch(1);

    @TempDir
    Path dir;

    @BeforeEach
    void source() throws Exception {
        byte[] body = Files.readAllBytes(FEEDS.resolve("go-vulndb/GO-2023-1751.json"));
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                CountDownLatch h = hold;
                if (h != null) {
                    held.countDown();
                    h.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (status.get() != 200) {
                exchange.sendResponseHeaders(status.get(), -1);
            } else if (!exchange.getRequestURI().getPath().equals(SERVED)) {
                exchange.sendResponseHeaders(404, -1);
            } else if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                conditional.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"v1\"");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + SERVED;
    }

    private static List<EventOutbox.Event> events(Database db) {
        return new EventOutbox(db, Clock.systemUTC()).after(0, 1000);
    }

    @Test
    void localPathsAndAUrlAreImportedThenTheUrlIsAskedConditionally() throws Exception {
        String local = FEEDS.resolve("pypa-osv").toString();
        try (TestServer server = TestServer.start(c -> c.withFeeds(
                new ServerConfig.Feeds(List.of(local, url()), Duration.ofHours(6))))) {
            FeedUpdates feeds = server.server().feeds();
            // the start-up update is due at once (nothing was ever attempted): wait for it rather than race it
            awaitSuccess(feeds);
            assertThat(server.server().vulnDb().status().feeds()).extracting(f -> f.name())
                    .contains("osv:PYSEC", "osv:GO");
            long records = server.server().vulnDb().status().records();

            ImportReport second = feeds.update("tester", "test");
            assertThat(second.notModified()).containsExactly(url());
            assertThat(conditional).hasValue(1);
            assertThat(requests).hasValue(2);
            assertThat(server.server().vulnDb().status().records()).isEqualTo(records);
            assertThat(feeds.leaseOwner()).isEmpty();

            List<EventOutbox.Event> updated = eventsOf(server, EventType.VULNDB_UPDATED.id());
            assertThat(updated).hasSize(2);
            assertThat(updated.get(0).data().get("added").asInt()).isGreaterThan(0);
            assertThat(updated.get(1).data().get("added").asInt()).isZero();
            assertThat(updated.get(1).data().get("notModified").get(0).asText()).isEqualTo(url());
            assertThat(new String(server.http().get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("portcullis_vulndb_last_update_success_seconds")
                    .contains("portcullis_vulndb_update_failures_total 0.0");
        }
    }

    @Test
    void aShortIntervalUpdatesAgainByItselfAndARestartDoesNotDownloadAgainWhileFresh() throws Exception {
        Path data;
        try (TestServer server = TestServer.start(c -> c.withFeeds(
                new ServerConfig.Feeds(List.of(url()), Duration.ofMillis(1000))))) {
            // the start-up update, then at least one more by the interval alone, asked conditionally
            awaitConditional();
            data = server.dataDir();
            server.stop();
            int before = requests.get();
            // the same data directory with a long interval: the last attempt is recent, so no download at start
            try (TestServer again = TestServer.startIn(data, c -> c.withFeeds(
                    new ServerConfig.Feeds(List.of(url()), Duration.ofHours(6))))) {
                assertThat(again.server().feeds().lastSuccess()).isPresent();
                again.server().feeds().update("tester", "test");
                assertThat(requests.get()).isEqualTo(before + 1);
            }
        }
    }

    @Test
    void aFailedDownloadLeavesTheAdvisoriesAsTheyWereAndRaisesAnEvent() throws Exception {
        String local = FEEDS.resolve("pypa-osv").toString();
        try (TestServer server = TestServer.start(c -> c.withFeeds(
                new ServerConfig.Feeds(List.of(local, url()), Duration.ofHours(6))))) {
            FeedUpdates feeds = server.server().feeds();
            awaitSuccess(feeds);
            var before = server.server().vulnDb().status();
            var success = feeds.lastSuccess().orElseThrow();
            status.set(500);
            assertThatThrownBy(() -> feeds.update("tester", "test")).isInstanceOf(FeedException.class)
                    .hasMessageContaining("HTTP 500");
            var after = server.server().vulnDb().status();
            assertThat(after.feeds()).isEqualTo(before.feeds());
            assertThat(feeds.lastSuccess()).contains(success);
            List<EventOutbox.Event> failed = eventsOf(server, EventType.VULNDB_UPDATE_FAILED.id());
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).data().get("reason").asText()).contains("HTTP 500");
            assertThat(new String(server.http().get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8)).contains("portcullis_vulndb_update_failures_total 1.0");
            assertThat(server.server().auth().audit().entries()).anyMatch(e -> e.event().action()
                    .equals("vulndb.update") && e.event().outcome().equals("failure"));
        }
    }

    @Test
    void aBundleSignedByAnUntrustedKeyFailsTheImportAndChangesNothing() throws Exception {
        String local = FEEDS.resolve("pypa-osv").toString();
        try (TestServer server = TestServer.start(c -> c.withFeeds(
                new ServerConfig.Feeds(List.of(local), Duration.ofHours(6))))) {
            FeedUpdates feeds = server.server().feeds();
            awaitSuccess(feeds);
            Path bundle = dir.resolve("feeds.bundle");
            // signed, but by a key this server does not trust (it has none under DATA/keys)
            server.server().vulnDb().exportBundle(bundle,
                    java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
            var before = server.server().vulnDb().status().feeds();
            assertThatThrownBy(() -> feeds.importUpload(bundle.toString(), "tester", "test"))
                    .isInstanceOf(FeedException.class).hasMessageContaining("no trusted bundle key");
            assertThat(server.server().vulnDb().status().feeds()).isEqualTo(before);
            assertThat(eventsOf(server, EventType.VULNDB_UPDATE_FAILED.id())).singleElement()
                    .satisfies(e -> assertThat(e.data().get("reason").asText()).contains("no trusted bundle key"));
        }
    }

    @Test
    void twoNodesOnOneDatabaseTakeTurns() throws Exception {
        try (Database db = Database.sqlite(dir)) {
            Auth auth = Auth.open(db, dir, Clock.systemUTC(), AuthConfig.DEFAULTS);
            VulnDb vulnDb = VulnDb.open(db, Clock.systemUTC(), new FeedDownloader(HttpClient.newHttpClient(),
                    1 << 20, Duration.ofMinutes(1)));
            FeedUpdates.Settings settings = new FeedUpdates.Settings(List.of(url()), Duration.ofHours(6));
            AtomicInteger changes = new AtomicInteger();
            try (FeedUpdates a = new FeedUpdates(db, () -> vulnDb, new EventOutbox(db, Clock.systemUTC()),
                    auth.audit(), new Metrics(), Clock.systemUTC(), settings, changes::incrementAndGet);
                 FeedUpdates b = new FeedUpdates(db, () -> vulnDb, new EventOutbox(db, Clock.systemUTC()),
                         auth.audit(), new Metrics(), Clock.systemUTC(), settings, changes::incrementAndGet)) {
                hold = new CountDownLatch(1);
                CompletableFuture<ImportReport> first = CompletableFuture.supplyAsync(() -> a.update("a", "test"));
                assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
                // a is downloading under the lease: b is refused and does not reach the source
                assertThat(a.leaseOwner()).contains(a.node());
                assertThatThrownBy(() -> b.update("b", "test")).isInstanceOf(FeedUpdates.Busy.class)
                        .hasMessageContaining(a.node());
                assertThat(requests).hasValue(1);
                hold.countDown();
                hold = null;
                assertThat(first.get(30, TimeUnit.SECONDS).feeds()).containsKey("osv:GO");
                assertThat(a.leaseOwner()).isEmpty();
                // now it is b's turn
                assertThat(b.update("b", "test").notModified()).containsExactly(url());
                assertThat(changes).hasValue(1);
            }
        }
    }

    private static List<EventOutbox.Event> eventsOf(TestServer server, String type) {
        try (Database db = Database.sqlite(server.dataDir())) {
            return events(db).stream().filter(e -> e.type().equals(type)).toList();
        }
    }

    private static void awaitSuccess(FeedUpdates feeds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (feeds.lastSuccess().isEmpty() || feeds.leaseOwner().isPresent()) {
            assertThat(System.nanoTime()).as("first update within a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitConditional() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (conditional.get() < 1) {
            assertThat(System.nanoTime()).as("a conditional request within a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
