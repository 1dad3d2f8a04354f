package dev.portcullis.gate;

import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.gate.pipeline.ScanPipeline;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.InvalidDigestException;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.EffectivePolicy;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDiff;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.registry.Registry;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
import dev.portcullis.vulndb.VulnDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quarantine gate of one node: its workers take the scan jobs pushes to unscanned/ wrote, and judge, promote or
 * reject each image; its methods are what the API and the CLI ask of the gate (image states and verdicts, jobs,
 * policies and their versions, dry runs, exceptions, break-glass). Any number of nodes may run a gate on one
 * database: jobs are leased, so each is done by one node, and a dead node's jobs pass to another after its lease.
 */
public final class Gate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gate.class);
    /** The longest break-glass the security role may grant at once. */
    public static final Duration MAX_BREAK_GLASS = Duration.ofHours(24);

    private final GateConfig config;
    private final Database db;
    private final Registry registry;
    private final GateStore store;
    private final JobQueue jobs;
    private final Policies policies;
    private final Judge judge;
    private final AuditLog audit;
    private final EventOutbox outbox;
    private final GateEvents events;
    private final Clock clock;
    private final String node;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong breakGlassGranted = new AtomicLong();
    private final Object verdicts = new Object();
    private ScheduledExecutorService timers;

    /**
     * @param scanner scans images; give it an on-disk layer cache under the data directory, so a base layer shared
     *     by many images is read once
     */
    public Gate(GateConfig config, Database db, Registry registry, Scanner scanner, VulnDb vulnDb, AuditLog audit,
                Clock clock) {
        this.config = config;
        this.db = db;
        this.registry = registry;
        this.store = new GateStore(db, clock);
        this.jobs = new JobQueue(db, clock);
        this.policies = new Policies(store, config.maxDatabaseAge());
        this.audit = audit;
        this.outbox = new EventOutbox(db, clock);
        this.events = new GateEvents(outbox, clock);
        this.clock = clock;
        this.node = "node-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.judge = new Judge(db, registry, store, jobs, policies, new ScanPipeline(scanner), vulnDb, audit, events,
                clock, scanner.version(), node);
    }

    // ---- running ---------------------------------------------------------------------------------------------

    /** Queues what the sweep finds unjudged, then starts the workers, the lease renewal and the expiry check. */
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        int swept = jobs.sweep();
        if (swept > 0) {
            LOG.atInfo().addKeyValue("count", swept).log("queued scans for stored images that had none");
        }
        for (int i = 0; i < config.workers(); i++) {
            Thread t = Thread.ofPlatform().name("gate-worker-" + i).daemon().unstarted(this::work);
            workers.add(t);
            t.start();
        }
        timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gate-timers").daemon()
                .factory());
        long renew = Math.max(1, config.lease().toMillis() / 3);
        timers.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::expireQuietly, config.expiryCheck().toMillis(),
                config.expiryCheck().toMillis(), TimeUnit.MILLISECONDS);
        LOG.atInfo().addKeyValue("node", node).addKeyValue("workers", config.workers()).log("the gate is running");
    }

    /** The vulnerability database changed: wakes an idle worker (the re-judging work is the compliance change's). */
    public void databaseChanged() {
        wake.release();
    }

    /** The hint the registry gives after each push: wakes an idle worker now instead of at its next poll. */
    public Registry.ManifestListener wakeUpHint() {
        return (repository, manifest, tag) -> {
            if (wake.availablePermits() < config.workers()) {
                wake.release();
            }
        };
    }

    /**
     * Stops taking jobs and lets the running ones finish within {@code timeout}; a job still running then is left to
     * its lease (another node, or this one after a restart, finishes it).
     */
    public void drain(Duration timeout) throws InterruptedException {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        wake.release(workers.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : workers) {
            t.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (Thread t : workers) {
            t.interrupt();
        }
        timers.shutdownNow();
    }

    @Override
    public void close() throws InterruptedException {
        drain(Duration.ofSeconds(30));
    }

    private void work() {
        while (running.get()) {
            try {
                Optional<Job> job = jobs.claim(node, config.lease());
                if (job.isEmpty()) {
                    wake.tryAcquire(config.poll().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                process(job.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is unreachable, say: the job (if any) stays leased and returns after its lease
                LOG.atWarn().setCause(e).log("the gate's worker failed; retrying after a pause");
                try {
                    Thread.sleep(config.poll().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void process(Job job) {
        if (job.attempts() > config.maxAttempts()) {
            // the nodes running it died each time (a poison image, say): it ends in error, never promoted
            judge.failed(job, "no node finished it in " + (job.attempts() - 1) + " attempts", 0, config.retryBackoff());
            notifyVerdicts();
            return;
        }
        try {
            judge.run(job);
        } catch (JobQueue.LostLease e) {
            LOG.atWarn().addKeyValue("job", job.id()).log(e.getMessage());
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            boolean ended = judge.failed(job, reason, config.maxAttempts(), config.retryBackoff());
            LOG.atWarn().setCause(ended ? e : null).addKeyValue("job", job.id())
                    .addKeyValue("repository", job.repository()).addKeyValue("digest", job.digest())
                    .addKeyValue("attempt", job.attempts()).addKeyValue("reason", reason)
                    .log(ended ? "scan job failed for good: the image is in error" : "scan job failed; will retry");
        }
        notifyVerdicts();
    }

    private void renewLeases() {
        try {
            jobs.renew(node, config.lease());
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("renewing the gate's job leases failed; will retry");
        }
    }

    private void expireQuietly() {
        try {
            expire();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("checking expired exceptions failed; will retry");
        }
    }

    private void notifyVerdicts() {
        synchronized (verdicts) {
            verdicts.notifyAll();
        }
    }

    /** The name this node takes jobs under (lease owner). */
    public String node() {
        return node;
    }

    // ---- images and jobs ---------------------------------------------------------------------------------------

    /**
     * The gate's view of {@code reference} (a tag or a digest) in an unscanned/ repository: its state, and once
     * judged its verdict and the stored subject it was judged by. Empty when the repository does not hold it.
     */
    public Optional<GateImage> image(RepositoryName repository, String reference) {
        Optional<Digest> digest;
        if (reference.indexOf(':') >= 0) {
            try {
                digest = Optional.of(Digest.parse(reference));
            } catch (InvalidDigestException e) {
                throw new GateException(GateException.Reason.INVALID, e.getMessage());
            }
        } else {
            digest = registry.taggedDigest(repository, reference);
        }
        if (digest.isEmpty() || registry.findManifest(repository, digest.get()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(view(repository, digest.get()));
    }

    private GateImage view(RepositoryName repository, Digest digest) {
        List<String> tags = registry.tagsOf(repository, digest);
        Optional<Job.State> pending = jobs.pending(repository, digest);
        Optional<GateStore.ImageRow> row = store.image(repository, digest);
        String team = Namespace.of(repository).team().orElse("");
        if (row.isEmpty()) {
            ImageState state = pending.orElse(Job.State.QUEUED) == Job.State.RUNNING ? ImageState.SCANNING
                    : ImageState.QUEUED;
            boolean index = registry.findManifest(repository, digest).map(m -> Judge.isIndex(m.mediaType()))
                    .orElse(false);
            return new GateImage(repository, digest, team, index, state, Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), clock.instant(), tags);
        }
        GateStore.ImageRow r = row.get();
        // A new push of a judged digest (re-tag) is judged again quickly; until then the last verdict stands.
        ImageState state = r.state() == ImageState.SCANNING && pending.isEmpty() ? ImageState.QUEUED : r.state();
        if (r.state() == ImageState.SCANNING && pending.isPresent()) {
            state = pending.get() == Job.State.RUNNING ? ImageState.SCANNING : ImageState.QUEUED;
        }
        return new GateImage(r.repository(), r.digest(), r.team(), r.index(), state, Optional.ofNullable(r.platform()),
                Optional.ofNullable(r.subject()), Optional.ofNullable(r.verdict()), r.children(),
                Optional.ofNullable(r.policyVersions()), Optional.ofNullable(r.dbSnapshot()),
                Optional.ofNullable(r.scanner()), Optional.ofNullable(r.error()), Optional.ofNullable(r.judgedAt()),
                r.updatedAt(), tags);
    }

    /** Images the gate took up, optionally of one team and one state, in repository and digest order. */
    public List<GateImage> images(Optional<String> team, Optional<ImageState> state, int offset, int limit) {
        return store.images(team, state, offset, limit).stream().map(r -> view(r.repository(), r.digest())).toList();
    }

    /** Scan jobs newest first, optionally of one state. */
    public List<Job> jobs(Optional<Job.State> state, int limit) {
        return jobs.list(state, limit);
    }

    /**
     * Waits until {@code reference} has a final state ({@link ImageState#isFinal()}) or {@code timeout} passes, and
     * returns what it has then; empty when the repository does not hold it.
     */
    public Optional<GateImage> awaitVerdict(RepositoryName repository, String reference, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<GateImage> now = image(repository, reference);
            long left = deadline - System.nanoTime();
            if (now.isEmpty() || now.get().state().isFinal() || left <= 0) {
                return now;
            }
            synchronized (verdicts) {
                // woken by this node's verdicts; another node's are seen at the next look (at most a poll later)
                verdicts.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), config.poll().toMillis())));
            }
        }
    }

    // ---- events ------------------------------------------------------------------------------------------------

    /**
     * Up to {@code limit} events after id {@code after}, oldest first, optionally of one type and only of
     * {@code teams} (empty: every team's and the organisation's).
     */
    public List<EventOutbox.Event> events(long after, int limit, Optional<EventType> type,
                                          Optional<Set<String>> teams) {
        return outbox.after(after, limit, type.map(EventType::id), teams);
    }

    // ---- policies ----------------------------------------------------------------------------------------------

    /** The document in force for {@code owner}: for the organisation the shipped default until one is applied. */
    public Optional<PolicyVersion> policy(Owner owner) {
        return policies.current(owner);
    }

    /** Every version of {@code owner}'s document, newest first. */
    public List<PolicyVersion> policyHistory(Owner owner) {
        return policies.history(owner);
    }

    /** One version of {@code owner}'s document. */
    public Optional<PolicyVersion> policyVersion(Owner owner, int version) {
        return policies.version(owner, version);
    }

    /** The owners with a document: the organisation, then every team that applied one. */
    public List<Owner> policyOwners() {
        List<Owner> out = new ArrayList<>(List.of(Owner.organisation()));
        out.addAll(store.teamOwners());
        return out;
    }

    /**
     * Applies a new version of a policy document: the organisation's by the security role, a team's by the security
     * role or the team's maintainers. Its version must be above the current one; a team document may only add rules
     * (floor semantics, checked by combining it with the organisation's). Audited; every stored image is judged again
     * under it (no re-scan), promoting or taking back what changed.
     */
    public PolicyVersion applyPolicy(PolicyDocument document, Principal author, RequestContext ctx) {
        Owner owner = document.owner();
        boolean allowed = isSecurity(author) || (!owner.isOrganisation() && author.has(owner.team(), Role.MAINTAINER));
        if (!allowed) {
            deny(author, ctx, "gate.policy.apply", owner.key(), owner.isOrganisation()
                    ? "only the security role changes the organisation's policy"
                    : "only the security role or a maintainer of team " + owner.team() + " changes its policy");
        }
        Optional<PolicyVersion> current = policies.current(owner);
        int currentVersion = current.map(v -> v.document().version()).orElse(0);
        if (document.version() <= currentVersion) {
            throw new GateException(GateException.Reason.INVALID, "the document's version is " + document.version()
                    + " but " + owner.key() + " is at version " + currentVersion + ": raise it to "
                    + (currentVersion + 1));
        }
        try {
            policies.with(document);
        } catch (PolicyException | IllegalArgumentException e) {
            throw new GateException(GateException.Reason.INVALID, e.getMessage());
        }
        db.inTransaction(c -> {
            store.savePolicy(document, author.name(), current.map(v -> v.document().version()).orElse(null));
            audit.append(new AuditEvent(author.name(), ctx.source(), "gate.policy.apply", owner.key(),
                    owner.isOrganisation() ? "" : owner.team(), AuditEvent.SUCCESS, ctx.requestId(), "version "
                    + document.version() + " replaces " + (currentVersion == 0 ? "none" : "version " + currentVersion)));
            events.policyChanged(document, currentVersion, author.name());
            return null;
        });
        judge.rejudge(row -> true, "policy " + owner.key() + " version " + document.version());
        notifyVerdicts();
        return policies.version(owner, document.version()).orElseThrow();
    }

    /**
     * What {@code proposed} would decide for every stored image, compared with its verdict now: no scan, no change
     * made. {@code proposed} takes its owner's place in the policy in force.
     */
    public PolicyDiff dryRun(PolicyDocument proposed) {
        EffectivePolicy policy;
        try {
            policy = policies.with(proposed);
        } catch (PolicyException | IllegalArgumentException e) {
            throw new GateException(GateException.Reason.INVALID, e.getMessage());
        }
        // read lazily, a page at a time: the diff keeps only what would change
        Iterable<PolicyDiff.Judged> stored = () -> java.util.stream.StreamSupport.stream(
                store.judgedImages().spliterator(), false).map(r -> new PolicyDiff.Judged(r.subject(), r.verdict()))
                .iterator();
        return PolicyDiff.dryRun(policy, stored, store.exceptions(), clock.instant());
    }

    // ---- exceptions and break-glass ----------------------------------------------------------------------------

    /**
     * Grants an exception: by the security role for any scope, or by a team's maintainer for that team when the
     * organisation's policy delegates it; its expiry within the organisation's bound for the advisory's severity
     * (the highest among stored findings it names). Audited; the images it touches are judged again from their stored
     * subjects, so a rejected image it covers is promoted without a new push.
     */
    public ExceptionGrant grantException(ExceptionRequest request, Principal grantor, RequestContext ctx) {
        Instant now = clock.instant();
        ExceptionGrant grant;
        try {
            grant = new ExceptionGrant("exc-" + UUID.randomUUID(), request.advisory(), request.scope(),
                    request.purlPattern(), request.reason(), grantor.name(), request.ticket(), now,
                    request.expiresAt(), null);
        } catch (IllegalArgumentException e) {
            throw new GateException(GateException.Reason.INVALID, e.getMessage());
        }
        Severity severity = severityOf(grant);
        Optional<String> refused = policies.effective().exceptionBounds().check(grant, isSecurity(grantor),
                maintainedTeam(grantor, grant.scope()), severity, now);
        if (refused.isPresent()) {
            boolean roles = !isSecurity(grantor) && (refused.get().contains("security role")
                    || refused.get().contains("maintainer"));
            if (roles) {
                deny(grantor, ctx, "gate.exception.grant", grant.advisory(), refused.get());
            }
            throw new GateException(GateException.Reason.INVALID, refused.get());
        }
        db.inTransaction(c -> {
            store.saveException(grant);
            audit.append(new AuditEvent(grantor.name(), ctx.source(), "gate.exception.grant", grant.advisory(),
                    teamOf(grant.scope()), AuditEvent.SUCCESS, ctx.requestId(), grant.id() + " for "
                    + grant.scope().describe() + " until " + grant.expiresAt() + ": " + grant.reason()));
            events.exception(EventType.EXCEPTION_GRANTED, grant, teamOf(grant.scope()), grantor.name());
            return null;
        });
        judge.rejudge(row -> grant.scope().covers(row.subject().image()), "exception " + grant.id() + " granted");
        notifyVerdicts();
        return grant;
    }

    /** Every exception ever granted, oldest first (revoked and expired ones are history and stay listed). */
    public List<ExceptionGrant> exceptions() {
        return store.exceptions();
    }

    /**
     * Revokes an exception (the security role, or a maintainer of the team it is scoped to). Audited; the images it
     * touched are judged again and what it alone let through is taken back out of scanned/.
     */
    public ExceptionGrant revokeException(String id, Principal who, RequestContext ctx) {
        ExceptionGrant grant = store.exception(id).orElseThrow(() -> new GateException(GateException.Reason.NOT_FOUND,
                "there is no exception " + id));
        String team = teamOf(grant.scope());
        if (!isSecurity(who) && (team.isEmpty() || !who.has(team, Role.MAINTAINER))) {
            deny(who, ctx, "gate.exception.revoke", id, "only the security role or a maintainer of the exception's"
                    + " team revokes it");
        }
        if (grant.revokedAt() != null) {
            return grant;
        }
        Instant now = clock.instant();
        ExceptionGrant revoked = new ExceptionGrant(grant.id(), grant.advisory(), grant.scope(), grant.purlPattern(),
                grant.reason(), grant.approver(), grant.ticket(), grant.createdAt(), grant.expiresAt(), now);
        db.inTransaction(c -> {
            store.updateException(revoked);
            audit.append(new AuditEvent(who.name(), ctx.source(), "gate.exception.revoke", grant.advisory(), team,
                    AuditEvent.SUCCESS, ctx.requestId(), id + " revoked"));
            events.exception(EventType.EXCEPTION_REVOKED, revoked, team, who.name());
            return null;
        });
        judge.rejudge(row -> grant.scope().covers(row.subject().image()), "exception " + id + " revoked");
        notifyVerdicts();
        return revoked;
    }

    /**
     * Break-glass: the security role lets one image digest through for at most {@link #MAX_BREAK_GLASS}, whatever its
     * findings. Audited, logged loudly and counted ({@link #breakGlassGranted()}); the verdict says so. When it ends,
     * the image is judged normally again (and taken back out of scanned/ if it fails).
     */
    public BreakGlass breakGlass(Digest digest, String reason, String ticket, Duration duration, Principal who,
                                 RequestContext ctx) {
        if (!isSecurity(who)) {
            deny(who, ctx, "gate.breakglass", digest.toString(), "only the security role may break the glass");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_BREAK_GLASS) > 0) {
            throw new GateException(GateException.Reason.INVALID, "break-glass lasts more than 0 and at most "
                    + MAX_BREAK_GLASS.toHours() + " hours, not " + duration);
        }
        Instant now = clock.instant();
        BreakGlass grant;
        try {
            grant = new BreakGlass(digest, reason, ticket, who.name(), now, now.plus(duration));
        } catch (IllegalArgumentException e) {
            throw new GateException(GateException.Reason.INVALID, e.getMessage());
        }
        db.inTransaction(c -> {
            store.saveBreakGlass(grant);
            audit.append(new AuditEvent(who.name(), ctx.source(), "gate.breakglass", digest.toString(), "",
                    AuditEvent.SUCCESS, ctx.requestId(), "until " + grant.until() + ": " + reason
                    + (grant.ticket().isEmpty() ? "" : " (" + grant.ticket() + ")")));
            events.breakGlass(grant, store.imagesWithDigest(digest));
            return null;
        });
        breakGlassGranted.incrementAndGet();
        LOG.atWarn().addKeyValue("digest", digest).addKeyValue("by", who.name()).addKeyValue("until", grant.until())
                .addKeyValue("reason", reason).log("BREAK-GLASS: an image is let through the gate whatever its"
                        + " findings");
        judge.rejudge(row -> row.digest().equals(digest), "break-glass by " + who.name());
        notifyVerdicts();
        return grant;
    }

    /** How many break-glass overrides this node granted since it started (a metric hook). */
    public long breakGlassGranted() {
        return breakGlassGranted.get();
    }

    /** Every break-glass override ever granted, newest first; {@code activeOnly} keeps those in force now. */
    public List<BreakGlass> breakGlasses(boolean activeOnly) {
        Instant now = clock.instant();
        return store.breakGlasses().stream().filter(b -> !activeOnly || b.isActiveFor(b.digest(), now)).toList();
    }

    /** How many break-glass overrides are in force now, granted by any node (a metric hook). */
    public int activeBreakGlass() {
        return store.activeBreakGlassCount(clock.instant());
    }

    /** Images per team and state the gate recorded, for every node alike (a metric hook). */
    public java.util.Map<String, java.util.Map<ImageState, Long>> imagesByState() {
        java.util.Map<String, java.util.Map<ImageState, Long>> out = new java.util.TreeMap<>();
        for (GateStore.StateCount n : store.stateCounts()) {
            out.computeIfAbsent(n.team(), t -> new java.util.EnumMap<>(ImageState.class)).put(n.state(), n.images());
        }
        return out;
    }

    /**
     * Acts on exceptions and break-glass overrides that ended since the last check: audits each expiry and judges
     * the images again. Runs every {@link GateConfig#expiryCheck()}; callable at once (tests move the clock).
     *
     * @return how many images changed state
     */
    public int expire() {
        Instant now = clock.instant();
        List<ExceptionGrant> expired = db.inTransaction(c -> {
            List<ExceptionGrant> taken = store.takeExpiredExceptions(now);
            for (ExceptionGrant g : taken) {
                audit.append(new AuditEvent("gate", node, "gate.exception.expire", g.advisory(), teamOf(g.scope()),
                        AuditEvent.SUCCESS, "expiry-" + now.toEpochMilli(), g.id() + " expired at " + g.expiresAt()));
                events.exception(EventType.EXCEPTION_EXPIRED, g, teamOf(g.scope()), "gate");
            }
            return taken;
        });
        List<BreakGlass> ended = db.inTransaction(c -> {
            List<BreakGlass> taken = store.takeExpiredBreakGlass(now);
            for (BreakGlass b : taken) {
                audit.append(new AuditEvent("gate", node, "gate.breakglass.expire", b.digest().toString(), "",
                        AuditEvent.SUCCESS, "expiry-" + now.toEpochMilli(), "break-glass by " + b.grantedBy()
                        + " ended at " + b.until()));
            }
            return taken;
        });
        if (expired.isEmpty() && ended.isEmpty()) {
            return 0;
        }
        int changed = judge.rejudge(row -> expired.stream().anyMatch(g -> g.scope().covers(row.subject().image()))
                || ended.stream().anyMatch(b -> b.digest().equals(row.digest())), "expiry");
        notifyVerdicts();
        return changed;
    }

    // ---- roles -------------------------------------------------------------------------------------------------

    /** The security role, or development mode (where everyone may do everything but write scanned/). */
    private static boolean isSecurity(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.SECURITY);
    }

    /** The team whose maintainer {@code p} is, preferring the scope's team; null when none. */
    private static String maintainedTeam(Principal p, ExceptionGrant.Scope scope) {
        String team = teamOf(scope);
        if (!team.isEmpty() && p.has(team, Role.MAINTAINER)) {
            return team;
        }
        return p.grants().stream().filter(g -> g.role() == Role.MAINTAINER && g.team().isPresent())
                .map(Grant::team).map(Optional::orElseThrow).findFirst().orElse(null);
    }

    private static String teamOf(ExceptionGrant.Scope scope) {
        return scope instanceof ExceptionGrant.Scope.Team(String team) ? team : "";
    }

    private void deny(Principal who, RequestContext ctx, String action, String target, String why) {
        audit.append(new AuditEvent(who.name(), ctx.source(), action, target, "", AuditEvent.DENIED, ctx.requestId(),
                why));
        throw new GateException(GateException.Reason.FORBIDDEN, why);
    }

    /** The highest severity among stored findings the exception would cover; unknown when none is stored yet. */
    private Severity severityOf(ExceptionGrant grant) {
        Severity best = null;
        for (GateStore.ImageRow r : store.judgedImages()) {
            if (!grant.scope().covers(r.subject().image())) {
                continue;
            }
            for (FindingFacts f : r.subject().findings()) {
                if (f.isKnownAs(grant.advisory()) && (best == null || f.severity().compareTo(best) > 0)) {
                    best = f.severity();
                }
            }
        }
        return best == null ? Severity.UNKNOWN : best;
    }
}
