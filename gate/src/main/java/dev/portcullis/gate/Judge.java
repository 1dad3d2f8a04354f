package dev.portcullis.gate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.gate.pipeline.ImageScan;
import dev.portcullis.gate.pipeline.ScanPipeline;
import dev.portcullis.gate.pipeline.Subjects;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.EffectivePolicy;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.PolicyJson;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.registry.Registry;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import dev.portcullis.scanner.source.SourceImage;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.MetadataStore.StoredManifest;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.match.Matcher;
import dev.portcullis.vulndb.vex.Vex;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's workflow for one job: read the image from the registry's own store (manifests from its metadata, layers
 * from its blob store), scan and match each platform (or take the stored subject when this database snapshot and
 * scanner made it already), judge, attach the SBOM and report, then in one transaction store the verdicts, promote or
 * reject, write the audit entry and finish the job. Also re-judges stored subjects when exceptions, break-glass or
 * policies change.
 */
final class Judge {
    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);
    private static final Vex NO_VEX = new Vex(List.of());

    private final Database db;
    private final Registry registry;
    private final GateStore store;
    private final JobQueue jobs;
    private final Policies policies;
    private final ScanPipeline pipeline;
    private final VulnDb vulnDb;
    private final AuditLog audit;
    private final Attachments attachments;
    private final Clock clock;
    private final String scanner;
    private final String node;
    private final GateEvents events;

    Judge(Database db, Registry registry, GateStore store, JobQueue jobs, Policies policies, ScanPipeline pipeline,
          VulnDb vulnDb, AuditLog audit, GateEvents events, Clock clock, String scanner, String node) {
        this.db = db;
        this.registry = registry;
        this.store = store;
        this.jobs = jobs;
        this.policies = policies;
        this.pipeline = pipeline;
        this.vulnDb = vulnDb;
        this.audit = audit;
        this.attachments = new Attachments(registry, clock);
        this.clock = clock;
        this.scanner = scanner;
        this.node = node;
        this.events = events;
    }

    /** One platform judged. */
    private record Judged(Digest digest, String mediaType, long size, String platform, Subject subject,
                          Verdict verdict) {
        ImageState state() {
            return verdict.decision() == Decision.PROMOTE ? ImageState.PROMOTED : ImageState.REJECTED;
        }
    }

    /** Runs one job to its outcome; throws when the attempt failed (the caller records it and retries). */
    ImageState run(Job job) throws IOException {
        RepositoryName repository = job.repository();
        String team = Namespace.of(repository).team().orElseThrow(() -> new IllegalStateException(repository
                + " is not an unscanned/<team>/<name> repository"));
        Optional<StoredManifest> found = registry.findManifest(repository, job.digest());
        if (found.isEmpty()) {
            // deleted before its scan: nothing to judge, nothing to promote
            db.inTransaction(c -> {
                jobs.complete(job, node);
                audit.append(event(job, "gate.job.skipped", AuditEvent.SUCCESS, "the manifest was deleted before"
                        + " it was scanned"));
                return null;
            });
            return ImageState.ERROR;
        }
        StoredManifest top = found.get();
        boolean index = isIndex(top.mediaType());
        db.inTransaction(c -> {
            store.scanning(repository, job.digest(), index, team);
            events.image(EventType.SCAN_STARTED, repository, job.tag(), job.digest(), team, ImageState.SCANNING,
                    List.of(), null, GateEvents.with("node", node).put("attempt", job.attempts()));
            return null;
        });
        CrashPoint.SCANNING.reach();
        DatabaseFacts database = Subjects.database(vulnDb.status());
        EffectivePolicy policy = policies.effective();
        Instant now = clock.instant();
        List<ExceptionGrant> exceptions = store.exceptions();
        List<Judged> platforms = new ArrayList<>();
        // Only what the gate promoted before is taken back out of scanned/ when it now fails.
        java.util.Set<Digest> wasPromoted = new java.util.HashSet<>();
        store.image(repository, job.digest()).filter(r -> r.state() == ImageState.PROMOTED)
                .ifPresent(r -> wasPromoted.add(r.digest()));
        Descriptor descriptor = new Descriptor(top.mediaType(), top.digest(), top.size());
        Subjects.Placement placement = new Subjects.Placement(belowNamespace(repository), team, job.tag().orElse(null));
        try (ImageSource source = ImageSources.fromStore(repository + "@" + top.digest(), descriptor,
                d -> registry.findManifest(repository, d).map(StoredManifest::content), registry::openWholeBlob)) {
            Matcher matcher = null;
            for (SourceImage image : source.images(null)) {
                Digest digest = image.manifestDigest();
                StoredManifest manifest = digest.equals(top.digest()) ? top
                        : registry.findManifest(repository, digest).orElseThrow(() -> new IOException("manifest "
                        + digest + " listed by the index is not in " + repository));
                Optional<GateStore.ImageRow> known = store.image(repository, digest);
                known.filter(r -> r.state() == ImageState.PROMOTED).ifPresent(r -> wasPromoted.add(digest));
                Subject subject;
                if (known.isPresent() && known.get().subject() != null
                        && database.snapshot().equals(known.get().dbSnapshot())
                        && scanner.equals(known.get().scanner())) {
                    // judged before with this database and scanner: not scanned again, only judged again
                    subject = withTag(known.get().subject(), placement.tag());
                } else {
                    if (matcher == null) {
                        matcher = vulnDb.matcher();
                    }
                    ImageScan scan = pipeline.run(source, image, ScanListener.NONE, matcher, NO_VEX);
                    subject = Subjects.of(scan, placement, database, now);
                    attachments.sbom(repository, digest, manifest.mediaType(), manifest.size(), scan.result());
                }
                Verdict verdict = policy.evaluate(subject, exceptions, store.activeBreakGlass(digest, now), now);
                platforms.add(new Judged(digest, manifest.mediaType(), manifest.size(), image.platform(), subject,
                        verdict));
            }
        }
        if (platforms.isEmpty()) {
            throw new IOException(top.digest() + " names no image the gate can read");
        }
        String versions = Policies.versions(policy, team);
        boolean pass = platforms.stream().allMatch(p -> p.state() == ImageState.PROMOTED);
        ImageState outcome = pass ? ImageState.PROMOTED : ImageState.REJECTED;
        for (Judged p : platforms) {
            attachments.report(repository, p.digest(), p.mediaType(), p.size(),
                    report(repository, p, versions, database));
        }
        List<GateImage.Child> children = platforms.stream()
                .map(p -> new GateImage.Child(p.digest(), p.platform(), p.state())).toList();
        if (index) {
            attachments.report(repository, top.digest(), top.mediaType(), top.size(),
                    indexReport(repository, top.digest(), outcome, children, versions, database));
        }
        db.inTransaction(c -> {
            for (Judged p : platforms) {
                store.judged(repository, p.digest(), team, p.platform(), p.subject(), p.verdict(), p.state(),
                        versions, database.snapshot(), scanner);
                if (p.state() == ImageState.PROMOTED) {
                    promote(repository, p.digest());
                } else if (wasPromoted.contains(p.digest())) {
                    registry.demote(repository, p.digest()); // judged again and failed: out of scanned/
                }
            }
            if (index) {
                store.judgedIndex(repository, top.digest(), team, children, outcome, versions, database.snapshot(),
                        scanner);
                if (pass) {
                    promote(repository, top.digest());
                } else if (wasPromoted.contains(top.digest())) {
                    registry.demote(repository, top.digest());
                }
            }
            audit.append(event(job, pass ? "gate.promote" : "gate.reject", AuditEvent.SUCCESS,
                    summary(platforms, versions)));
            List<GateEvents.Judged> judged = platforms.stream()
                    .map(p -> new GateEvents.Judged(p.subject(), p.verdict())).toList();
            events.image(EventType.SCAN_COMPLETED, repository, job.tag(), top.digest(), team, outcome, judged,
                    versions, GateEvents.with("databaseSnapshot", database.snapshot()).put("scanner", scanner));
            events.image(pass ? EventType.IMAGE_PROMOTED : EventType.IMAGE_REJECTED, repository, job.tag(),
                    top.digest(), team, outcome, judged, versions, GateEvents.with("cause", "scan"));
            jobs.complete(job, node);
            CrashPoint.BEFORE_COMMIT.reach();
            return null;
        });
        CrashPoint.AFTER_COMMIT.reach();
        LOG.atInfo().addKeyValue("repository", repository).addKeyValue("digest", top.digest())
                .addKeyValue("tag", job.tag().orElse("")).addKeyValue("outcome", outcome.id())
                .addKeyValue("policy", versions).log(pass ? "image promoted" : "image rejected");
        return outcome;
    }

    /** Records a failed attempt; after the last one the image ends in {@code error} (never promoted), audited. */
    boolean failed(Job job, String reason, int maxAttempts, java.time.Duration backoff) {
        return db.inTransaction(c -> {
            boolean ended = jobs.fail(job, node, reason, maxAttempts, backoff);
            if (ended) {
                String team = Namespace.of(job.repository()).team().orElse("");
                boolean index = registry.findManifest(job.repository(), job.digest())
                        .map(m -> isIndex(m.mediaType())).orElse(false);
                store.failed(job.repository(), job.digest(), index, team, reason);
                audit.append(event(job, "gate.job.error", AuditEvent.FAILURE, "gave up after " + job.attempts()
                        + " attempts: " + reason));
                events.image(EventType.IMAGE_ERROR, job.repository(), job.tag(), job.digest(), team,
                        ImageState.ERROR, List.of(), null, GateEvents.with("error", reason)
                                .put("attempts", job.attempts()));
            }
            return ended;
        });
    }

    /** Links the image, under every tag pointing to it in unscanned/ now, and the gate's referrers into scanned/. */
    private void promote(RepositoryName repository, Digest digest) {
        List<String> tags = registry.tagsOf(repository, digest);
        if (tags.isEmpty()) {
            registry.promote(repository, digest, Optional.empty());
        }
        for (String tag : tags) {
            registry.promote(repository, digest, Optional.of(tag));
        }
        for (String type : List.of(Attachments.SBOM_TYPE, Attachments.REPORT_TYPE)) {
            for (Digest referrer : attachments.referrers(repository, digest, type)) {
                registry.promote(repository, referrer, Optional.empty());
            }
        }
    }

    /**
     * Judges the stored subjects {@code which} selects again under the policy, exceptions and break-glass in force
     * now (no scan), and promotes or takes back what changed, indexes after their platforms.
     *
     * @return how many images changed state
     */
    int rejudge(Predicate<GateStore.ImageRow> which, String cause) {
        EffectivePolicy policy = policies.effective();
        List<ExceptionGrant> exceptions = store.exceptions();
        Instant now = clock.instant();
        Map<String, GateStore.ImageRow> indexes = new LinkedHashMap<>();
        int changed = 0;
        for (GateStore.ImageRow row : store.judgedImages()) {
            if (!which.test(row)) {
                continue;
            }
            Verdict verdict = policy.evaluate(row.subject(), exceptions, store.activeBreakGlass(row.digest(), now),
                    now);
            ImageState state = verdict.decision() == Decision.PROMOTE ? ImageState.PROMOTED : ImageState.REJECTED;
            String versions = Policies.versions(policy, row.team());
            boolean moved = state != row.state();
            if (moved) {
                Optional<StoredManifest> m = registry.findManifest(row.repository(), row.digest());
                if (m.isEmpty()) {
                    continue; // deleted from unscanned/: nothing to promote or report on
                }
                Judged judged = new Judged(row.digest(), m.get().mediaType(), m.get().size(), row.platform(),
                        row.subject(), verdict);
                attachments.report(row.repository(), row.digest(), m.get().mediaType(), m.get().size(),
                        report(row.repository(), judged, versions, row.subject().database()));
            }
            db.inTransaction(c -> {
                store.judged(row.repository(), row.digest(), row.team(), row.platform(), row.subject(), verdict,
                        state, versions, row.dbSnapshot(), row.scanner());
                if (moved) {
                    if (state == ImageState.PROMOTED) {
                        promote(row.repository(), row.digest());
                    } else {
                        registry.demote(row.repository(), row.digest());
                    }
                    audit.append(new AuditEvent("gate", node, state == ImageState.PROMOTED ? "gate.promote"
                            : "gate.reject", row.repository() + "@" + row.digest(), row.team(), AuditEvent.SUCCESS,
                            "rejudge-" + now.toEpochMilli(), "judged again (" + cause + "): "
                            + describe(verdict)));
                    events.image(state == ImageState.PROMOTED ? EventType.IMAGE_PROMOTED : EventType.IMAGE_REJECTED,
                            row.repository(), Optional.ofNullable(row.subject().image().tag()), row.digest(),
                            row.team(), state, List.of(new GateEvents.Judged(row.subject(), verdict)), versions,
                            GateEvents.with("cause", cause));
                }
                return null;
            });
            if (moved) {
                changed++;
                LOG.atInfo().addKeyValue("repository", row.repository()).addKeyValue("digest", row.digest())
                        .addKeyValue("outcome", state.id()).addKeyValue("cause", cause).log("image judged again");
                for (GateStore.ImageRow ix : store.indexesWith(row.repository(), row.digest())) {
                    indexes.put(ix.repository() + "@" + ix.digest(), ix);
                }
            }
        }
        for (GateStore.ImageRow ix : indexes.values()) {
            changed += rejudgeIndex(ix, cause);
        }
        return changed;
    }

    private int rejudgeIndex(GateStore.ImageRow ix, String cause) {
        List<GateImage.Child> children = new ArrayList<>();
        for (GateImage.Child ch : ix.children()) {
            ImageState s = store.image(ix.repository(), ch.digest()).map(GateStore.ImageRow::state).orElse(ch.state());
            children.add(new GateImage.Child(ch.digest(), ch.platform(), s));
        }
        boolean pass = children.stream().allMatch(ch -> ch.state() == ImageState.PROMOTED);
        ImageState state = pass ? ImageState.PROMOTED : ImageState.REJECTED;
        if (state == ix.state()) {
            return 0;
        }
        db.inTransaction(c -> {
            store.judgedIndex(ix.repository(), ix.digest(), ix.team(), children, state, ix.policyVersions(),
                    ix.dbSnapshot(), ix.scanner());
            if (pass) {
                promote(ix.repository(), ix.digest());
            } else {
                registry.demote(ix.repository(), ix.digest());
            }
            audit.append(new AuditEvent("gate", node, pass ? "gate.promote" : "gate.reject", ix.repository() + "@"
                    + ix.digest(), ix.team(), AuditEvent.SUCCESS, "rejudge-" + clock.millis(), "index judged again ("
                    + cause + "): " + (pass ? "every platform passed" : "a platform failed")));
            List<GateEvents.Judged> judged = new ArrayList<>();
            for (GateImage.Child ch : children) {
                store.image(ix.repository(), ch.digest()).filter(r -> r.subject() != null && r.verdict() != null)
                        .ifPresent(r -> judged.add(new GateEvents.Judged(r.subject(), r.verdict())));
            }
            events.image(pass ? EventType.IMAGE_PROMOTED : EventType.IMAGE_REJECTED, ix.repository(),
                    registry.tagsOf(ix.repository(), ix.digest()).stream().findFirst(), ix.digest(), ix.team(), state,
                    judged, ix.policyVersions(), GateEvents.with("cause", cause));
            return null;
        });
        return 1;
    }

    private ObjectNode report(RepositoryName repository, Judged p, String versions, DatabaseFacts database) {
        ObjectNode r = Json.object();
        r.put("schemaVersion", 1);
        r.put("repository", repository.value());
        r.put("digest", p.digest().toString());
        r.put("platform", p.platform());
        r.put("state", p.state().id());
        r.put("policyVersions", versions);
        r.put("scanner", scanner);
        ObjectNode db = r.putObject("database").put("present", database.present()).put("snapshot",
                database.snapshot());
        if (database.importedAt() != null) {
            db.put("importedAt", database.importedAt().toString());
        }
        r.set("verdict", PolicyJson.verdict(p.verdict()));
        return r;
    }

    private ObjectNode indexReport(RepositoryName repository, Digest digest, ImageState state,
                                   List<GateImage.Child> children, String versions, DatabaseFacts database) {
        ObjectNode r = Json.object();
        r.put("schemaVersion", 1);
        r.put("repository", repository.value());
        r.put("digest", digest.toString());
        r.put("state", state.id());
        r.put("policyVersions", versions);
        r.put("scanner", scanner);
        r.putObject("database").put("snapshot", database.snapshot());
        ArrayNode list = r.putArray("platforms");
        for (GateImage.Child ch : children) {
            list.addObject().put("digest", ch.digest().toString()).put("platform", ch.platform())
                    .put("state", ch.state().id());
        }
        return r;
    }

    private AuditEvent event(Job job, String action, String outcome, String detail) {
        return new AuditEvent("gate", node, action, job.repository() + job.tag().map(t -> ":" + t).orElse("") + "@"
                + job.digest(), Namespace.of(job.repository()).team().orElse(""), outcome, "job-" + job.id(), detail);
    }

    private static String summary(List<Judged> platforms, String versions) {
        StringBuilder out = new StringBuilder("policy " + versions);
        for (Judged p : platforms) {
            out.append("; ").append(p.platform()).append(' ').append(p.state().id()).append(": ")
                    .append(describe(p.verdict()));
        }
        return out.toString();
    }

    static String describe(Verdict v) {
        if (v.rejections().isEmpty()) {
            return v.warnings().size() + " warning(s)" + (v.exceptionsUsed().isEmpty() ? ""
                    : ", " + v.exceptionsUsed().size() + " finding(s) covered by exceptions")
                    + (v.breakGlass() != null ? ", BREAK-GLASS by " + v.breakGlass().grantedBy() : "");
        }
        List<String> first = new ArrayList<>();
        for (Reason r : v.rejections().subList(0, Math.min(3, v.rejections().size()))) {
            first.add(r.rule() + " (" + r.item() + ")");
        }
        return v.rejections().size() + " rejection(s): " + String.join(", ", first)
                + (v.rejections().size() > 3 ? ", ..." : "")
                + (v.breakGlass() != null ? "; let through by BREAK-GLASS of " + v.breakGlass().grantedBy() : "");
    }

    static boolean isIndex(String mediaType) {
        return MediaType.OCI_INDEX.equals(mediaType) || MediaType.DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** {@code acme/web} for {@code unscanned/acme/web}: the repository as policies name it. */
    static String belowNamespace(RepositoryName repository) {
        return repository.value().substring(repository.value().indexOf('/') + 1);
    }

    private static Subject withTag(Subject s, String tag) {
        ImageFacts i = s.image();
        if (java.util.Objects.equals(i.tag(), tag)) {
            return s;
        }
        ImageFacts tagged = new ImageFacts(i.repository(), i.team(), tag, i.digest(), i.platform(), i.labels(),
                i.config(), i.created(), i.os(), i.complete(), i.unreadable());
        return new Subject(tagged, s.packages(), s.findings(), s.misconfigurations(), s.secrets(), s.unevaluable(),
                s.database());
    }
}
