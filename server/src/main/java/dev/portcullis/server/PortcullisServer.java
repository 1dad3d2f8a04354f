package dev.portcullis.server;

import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthConfig;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.gate.Gate;
import dev.portcullis.registry.Registry;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.net.http.HttpClient;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.BlobStore;
import dev.portcullis.storage.FileBlobStore;
import dev.portcullis.storage.S3BlobStore;
import dev.portcullis.storage.JdbcMetadataStore;
import dev.portcullis.storage.StorageException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembly of a Portcullis node: storage, registry and HTTP wiring, constructed explicitly in one place.
 * Jetty's selectors run on platform threads; every handler runs on a virtual thread.
 */
public final class PortcullisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortcullisServer.class);
    private static final java.time.Duration UPLOAD_MAX_AGE = java.time.Duration.ofHours(24);

    private final ServerConfig config;
    private final Database database;
    private final Registry registry;
    private final VulnDb vulnDb;
    private final Auth auth;
    private final Gate gate;
    private final FeedUpdates feeds;
    private final Server jetty;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final MappedBlobs mappedBlobs;
    private final DataDirLock dataDirLock;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("portcullis-janitor").daemon().factory());

    public PortcullisServer(ServerConfig config, Clock clock) {
        this.config = config;
        ServerConfig.Security security = config.security();
        // Read before any storage is opened, so that a key that is not the certificate's leaves nothing open.
        KeyStore tlsKeys = security.tls()
                ? PemKeyStore.load(security.tlsCert().orElseThrow(), security.tlsKey().orElseThrow()) : null;
        ServerConfig.Storage storage = config.storage();
        this.database = storage.postgres()
                .map(pg -> Database.postgresql(pg.jdbcUrl(), pg.user(), pg.password(), pg.poolSize()))
                .orElseGet(() -> Database.sqlite(config.dataDir()));
        try {
            this.dataDirLock = storage.postgres().isPresent() ? null : DataDirLock.acquire(config.dataDir());
        } catch (StorageException e) {
            database.close();
            throw e;
        }
        BlobStore blobs = storage.s3().<BlobStore>map(S3BlobStore::new)
                .orElseGet(() -> new FileBlobStore(config.dataDir().resolve("blobs")));
        JdbcMetadataStore metadata = new JdbcMetadataStore(database, clock);
        // The push's scan job is written in its own transaction; this listener only wakes an idle gate worker.
        this.registry = new Registry(blobs, metadata, clock, config.limits(),
                List.of(this::wakeGate));
        Metrics metrics = new Metrics();
        // The vulnerability database lives in the same database: `portcullis db import --data` fills what this
        // node reads, and so do the node's own feed updates (FeedUpdates).
        this.vulnDb = VulnDb.open(database, clock, new FeedDownloader(HttpClient.newHttpClient(), 1L << 30,
                Duration.ofMinutes(5)));
        metrics.vulnerabilityDatabase(vulnDb::status);

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("portcullis-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        ByteBufferPool bufferPool = new ArrayByteBufferPool();
        jetty = new Server(threads, null, bufferPool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setHttpCompliance(HttpCompliance.RFC9110);
        // Ambiguous paths (empty segments, encoded dots or slashes) reach the router, which matches the raw path and
        // answers NAME_INVALID from the repository grammar, instead of Jetty answering with an HTML page.
        http.setUriCompliance(UriCompliance.DEFAULT.with("portcullis", UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER));
        if (security.tls()) {
            http.setSecureScheme("https");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach a registry by IP or alias as often as by its certificate's name.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tlsKeys);
            ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(120_000);
        jetty.addConnector(connector);

        this.mappedBlobs = new MappedBlobs(config.blobMapCache().bytes());
        metrics.blobMappings(mappedBlobs);
        this.auth = Auth.open(database, config.dataDir(), clock,
                AuthConfig.DEFAULTS.withTokenLifetime(security.tokenLifetime())
                        .withAuditCheckpointEvery(config.protection().auditCheckpointEvery()));
        this.gate = new Gate(config.gate(), database, registry, new Scanner(Analyzers.all(), Analyzers.image(),
                Limits.DEFAULTS, layerCache(config.dataDir()), clock), vulnDb, auth.audit(), clock);
        metrics.gate(gate);
        // Offline bundles are trusted with the key `portcullis db import` uses for this data directory.
        java.nio.file.Path bundleKey = config.dataDir().resolve("keys").resolve("bundle-signing.pub");
        this.feeds = new FeedUpdates(database, () -> trusting(vulnDb, bundleKey),
                new dev.portcullis.storage.EventOutbox(database, clock), auth.audit(), metrics, clock,
                new FeedUpdates.Settings(config.feeds().sources(), config.feeds().interval()), gate::databaseChanged);
        Clients clients = new Clients(security.behindProxy(), config.protection().trustedProxies(),
                security.publicUrl());
        RegistryEndpoints endpoints = new RegistryEndpoints(registry, metrics, mappedBlobs,
                config.maxConcurrentUploads(), clients, config.protection());
        List<Route> routes = new ArrayList<>(RegistryRoutes.of(endpoints));
        routes.addAll(new AuthEndpoints(auth, clients).routes());
        routes.addAll(new ManagementEndpoints(auth, clients, registry, mappedBlobs).routes());
        routes.addAll(new GateEndpoints(gate, clients, clock).routes());
        routes.addAll(new OperationsEndpoints(database, config.dataDir(), metrics, stopping::get).routes());
        Guard guard = config.dev() ? new DevGuard() : new TokenGuard(auth, clients);
        // GracefulHandler lets in-flight requests finish on stop while refusing new ones.
        graceful = new GracefulHandler(new Router(routes, metrics, guard, new RequestAudit(auth.audit(), clients),
                security.tls(), stopping::get));
        jetty.setHandler(graceful);
        jetty.setErrorHandler(new JsonErrorHandler(security.tls()));
        jetty.setStopTimeout(config.shutdownTimeout().toMillis());
        jetty.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        jetty.start();
        started.set(true);
        gate.start();
        feeds.start();
        janitor.scheduleWithFixedDelay(this::expireUploads, 1, 60, TimeUnit.MINUTES);
        long anchorEvery = config.protection().auditCheckpointInterval().toMillis();
        janitor.scheduleWithFixedDelay(this::anchorAudit, anchorEvery, anchorEvery, TimeUnit.MILLISECONDS);
        LOG.atInfo().addKeyValue("listen", config.host() + ":" + port())
                .addKeyValue("data", config.dataDir().toAbsolutePath())
                .addKeyValue("blobs", config.storage().s3().map(Object::toString).orElse("filesystem"))
                .addKeyValue("database", config.storage().postgres().map(Object::toString).orElse("sqlite"))
                .log("Portcullis is serving");
    }

    /**
     * A quiet log still gets its tail anchored: besides every auditCheckpointEvery entries, a signed checkpoint every
     * auditCheckpointInterval (when anything was appended since the last one), and one at shutdown.
     */
    private void anchorAudit() {
        try {
            auth.audit().checkpoint();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("anchoring the audit log failed; will retry");
        }
    }

    /** Abandoned uploads hold disk space: sessions idle for a day are discarded. */
    private void expireUploads() {
        try {
            int n = registry.expireUploads(UPLOAD_MAX_AGE);
            if (n > 0) {
                LOG.atInfo().addKeyValue("count", n).log("expired abandoned uploads");
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("expiring abandoned uploads failed; will retry");
        }
    }

    /** Requests being handled now: what a stop waits for. */
    public long requestsInFlight() {
        return graceful.getCurrentRequestCount();
    }

    /** The bound port (useful when configured with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public VulnDb vulnDb() {
        return vulnDb;
    }

    private void wakeGate(dev.portcullis.oci.RepositoryName repository,
                          dev.portcullis.storage.MetadataStore.StoredManifest manifest, Optional<String> tag) {
        gate.wakeUpHint().manifestPushed(repository, manifest, tag);
    }

    /** The bundle key is read on each update, so one placed after the start is used without a restart. */
    private static VulnDb trusting(VulnDb db, java.nio.file.Path key) {
        if (!java.nio.file.Files.exists(key)) {
            return db;
        }
        try {
            return db.trustingBundlesFrom(dev.portcullis.vulndb.bundle.BundleKeys.readPublic(key));
        } catch (java.io.IOException e) {
            throw new dev.portcullis.vulndb.feed.FeedException("cannot read the bundle key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    /** This node's feed updates. */
    FeedUpdates feeds() {
        return feeds;
    }

    /** The quarantine gate of this node. */
    public Gate gate() {
        return gate;
    }

    /** Per-layer scan results under the data directory: a base layer shared by many images is read once. */
    private static LayerCache layerCache(java.nio.file.Path dataDir) {
        try {
            return LayerCache.onDisk(dataDir.resolve("layer-cache"));
        } catch (java.io.IOException e) {
            throw new dev.portcullis.storage.StorageException("cannot create the layer cache under " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    public Registry registry() {
        return registry;
    }

    /** Identities, tokens and the audit log of this node. */
    public Auth auth() {
        return auth;
    }

    /**
     * Creates the first admin when there are no users yet, with {@code password} (from
     * {@code PORTCULLIS_ADMIN_PASSWORD}) or a generated password, which is returned so it can be shown once.
     */
    public Optional<String> bootstrapAdmin(Optional<String> password) {
        return auth.bootstrapAdmin(password, new RequestContext("startup", "bootstrap"));
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting requests, lets in-flight ones finish within the shutdown timeout, then releases storage. */
    @Override
    public void close() throws Exception {
        if (!stopping.compareAndSet(false, true)) {
            // A second caller (the shutdown hook while a signal handler drains) waits, so the JVM does not exit
            // with the database half closed.
            stopped.await();
            return;
        }
        try {
            janitor.shutdownNow();
            feeds.close(config.shutdownTimeout());
            try {
                jetty.stop();
                // running scans finish (or are left to their lease) before the database goes
                gate.drain(config.shutdownTimeout());
                auth.audit().checkpoint();
            } finally {
                mappedBlobs.close();
                database.close();
                if (dataDirLock != null) {
                    dataDirLock.close();
                }
            }
            // A server that never served (its port was taken) did not stop: the caller says what went wrong.
            if (started.get()) {
                LOG.info("Portcullis stopped");
            }
        } finally {
            stopped.countDown();
        }
    }
}
