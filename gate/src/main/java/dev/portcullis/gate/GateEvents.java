package dev.portcullis.gate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyJson;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.storage.EventOutbox;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gate's events (docs/events.md) and the one place their data is built. Every method appends to the outbox in
 * the caller's open transaction, so callers call it inside the {@code db.inTransaction} of the change it reports.
 */
final class GateEvents {
    /** One judged platform as an event summarises it. */
    record Judged(Subject subject, Verdict verdict) {
    }

    private final EventOutbox outbox;
    private final Clock clock;

    GateEvents(EventOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * An event about one image: {@code data} holds its state, the summary of its verdict (of every platform for an
     * index), the policy versions it was judged under and the API path of its gate view.
     */
    void image(EventType type, RepositoryName repository, Optional<String> tag, Digest digest, String team,
               ImageState state, List<Judged> judged, String policyVersions, ObjectNode extra) {
        ObjectNode data = Json.object();
        data.put("state", state.id());
        if (!judged.isEmpty()) {
            data.set("summary", summary(judged));
        }
        if (policyVersions != null) {
            data.put("policyVersions", policyVersions);
        }
        data.put("report", report(repository, digest));
        data.setAll(extra);
        outbox.append(EventOutbox.Event.ofImage(type.id(), team, repository, tag, digest, data, clock.instant()));
    }

    /** {@code data} for {@link #image} with one more field: why it happened (re-judging), the attempt (a scan). */
    static ObjectNode with(String field, String value) {
        return Json.object().put(field, value);
    }

    void exception(EventType type, ExceptionGrant grant, String team, String by) {
        ObjectNode data = Json.object();
        data.set("exception", PolicyJson.exceptionGrant(grant));
        data.put("by", by);
        outbox.append(EventOutbox.Event.of(type.id(), team, data, clock.instant()));
    }

    void policyChanged(PolicyDocument document, int previousVersion, String author) {
        ObjectNode data = Json.object();
        data.put("owner", document.owner().key());
        data.put("version", document.version());
        if (previousVersion > 0) {
            data.put("previousVersion", previousVersion);
        }
        data.put("author", author);
        data.put("policy", "/api/v1/policies/" + document.owner().key() + "/versions/" + document.version());
        outbox.append(EventOutbox.Event.of(EventType.POLICY_CHANGED.id(), document.owner().isOrganisation() ? ""
                : document.owner().team(), data, clock.instant()));
    }

    /**
     * One event per repository holding the digest (so each team sees its own), or one for the organisation when no
     * repository does yet.
     */
    void breakGlass(BreakGlass grant, List<GateStore.ImageRow> images) {
        if (images.isEmpty()) {
            outbox.append(new EventOutbox.Event(0, EventType.BREAKGLASS_USED.id(), "", Optional.empty(),
                    Optional.empty(), Optional.of(grant.digest()), breakGlassData(grant), clock.instant()));
        }
        for (GateStore.ImageRow image : images) {
            ObjectNode data = breakGlassData(grant).put("report", report(image.repository(), grant.digest()));
            outbox.append(EventOutbox.Event.ofImage(EventType.BREAKGLASS_USED.id(), image.team(),
                    image.repository(), Optional.empty(), grant.digest(), data, clock.instant()));
        }
    }

    private static ObjectNode breakGlassData(BreakGlass grant) {
        ObjectNode data = Json.object();
        data.set("breakGlass", PolicyJson.breakGlass(grant));
        return data;
    }

    /** The API path of the image's gate view (state, verdict and links to every report format). */
    static String report(RepositoryName repository, Digest digest) {
        return "/api/v1/repositories/" + repository.value() + "/images/" + digest;
    }

    /** Findings by severity and the rules that rejected, over every platform judged. */
    private static ObjectNode summary(List<Judged> judged) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        Set<String> rules = new LinkedHashSet<>();
        int warnings = 0;
        int excepted = 0;
        boolean breakGlass = false;
        for (Judged j : judged) {
            for (FindingFacts f : j.subject().findings()) {
                counts.merge(f.severity(), 1, Integer::sum);
            }
            for (Reason r : j.verdict().rejections()) {
                rules.add(r.rule());
            }
            warnings += j.verdict().warnings().size();
            excepted += j.verdict().exceptionsUsed().size();
            breakGlass |= j.verdict().breakGlass() != null;
        }
        ObjectNode s = Json.object();
        ObjectNode findings = s.putObject("findings");
        for (Severity sev : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
                Severity.UNKNOWN)) {
            findings.put(sev.name().toLowerCase(java.util.Locale.ROOT), counts.getOrDefault(sev, 0));
        }
        ArrayNode rejected = s.putArray("rejectedRules");
        rules.forEach(rejected::add);
        s.put("warnings", warnings);
        s.put("exceptionsUsed", excepted);
        s.put("breakGlass", breakGlass);
        return s;
    }
}
