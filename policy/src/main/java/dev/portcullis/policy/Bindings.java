package dev.portcullis.policy;

import dev.cel.runtime.CelVariableResolver;
import dev.portcullis.oci.Digest;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnreadableFacts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One subject as CEL sees it, at one {@code now}: each fact becomes a map keyed by the documented field names.
 * A value that is unknown (a null timestamp or number) is left out of its map, so {@code has(x.f)} tells whether it
 * is known and selecting it anyway is an evaluation error, which fails the rule closed. Unknown strings are empty.
 */
final class Bindings {
    private final Map<String, Object> shared = new HashMap<>();

    Bindings(Subject subject, Instant now) {
        shared.put("image", image(subject.image()));
        shared.put("db", database(subject.database(), now));
        shared.put("now", now);
        for (Severity s : Severity.values()) {
            shared.put(s.name(), (long) s.ordinal());
        }
    }

    /** The variables for an image rule. */
    CelVariableResolver forImage() {
        return name -> Optional.ofNullable(shared.get(name));
    }

    /** The variables for a rule of {@code kind} evaluated on {@code item} (a map from one of the methods below). */
    CelVariableResolver forItem(ResourceKind kind, Map<String, Object> item) {
        String variable = kind.variable();
        return name -> name.equals(variable) ? Optional.of(item) : Optional.ofNullable(shared.get(name));
    }

    static Map<String, Object> finding(FindingFacts f, Instant now) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", f.id());
        m.put("aliases", f.aliases());
        m.put("severity", (long) f.severity().ordinal());
        putIfKnown(m, "cvssScore", f.cvssScore());
        m.put("cvssVector", f.cvssVector() == null ? "" : f.cvssVector());
        m.put("fixAvailable", f.fixAvailable());
        m.put("fixedVersions", f.fixedVersions());
        putIfKnown(m, "published", f.published());
        // an unknown publication date counts as the oldest possible, so grace-period rules fail closed
        m.put("age", age(f.published() == null ? Instant.EPOCH : f.published(), now));
        m.put("packagePurl", f.packagePurl());
        m.put("packageName", f.packageName());
        m.put("packageVersion", f.packageVersion());
        m.put("layerDigest", text(f.layerDigest()));
        m.put("layerCreatedBy", f.layerCreatedBy());
        m.put("feed", f.feed());
        return m;
    }

    static Map<String, Object> pkg(PackageFacts p) {
        Map<String, Object> m = new HashMap<>();
        m.put("purl", p.purl());
        m.put("ecosystem", p.ecosystem());
        m.put("name", p.name());
        m.put("version", p.version());
        m.put("layerDigest", text(p.layerDigest()));
        m.put("layerCreatedBy", p.layerCreatedBy());
        m.put("path", p.path());
        m.put("licence", p.licence() == null ? "" : p.licence());
        m.put("firstParty", p.firstParty());
        return m;
    }

    static Map<String, Object> misconfiguration(MisconfigFacts c) {
        return Map.of("id", c.id(), "severity", (long) c.severity().ordinal(), "title", c.title(),
                "where", c.where());
    }

    static Map<String, Object> secret(SecretFacts s) {
        return Map.of("ruleId", s.ruleId(), "severity", (long) s.severity().ordinal(), "title", s.title(),
                "layerDigest", text(s.layerDigest()), "path", s.path(), "line", (long) s.line());
    }

    static Map<String, Object> unevaluable(UnevaluableFacts u) {
        return Map.of("packagePurl", u.packagePurl(), "packageName", u.packageName(),
                "packageVersion", u.packageVersion(), "reason", u.reason().name(), "firstParty", u.firstParty());
    }

    private static Map<String, Object> image(ImageFacts i) {
        Map<String, Object> m = new HashMap<>();
        m.put("repository", i.repository());
        m.put("team", i.team());
        m.put("tag", i.tag() == null ? "" : i.tag());
        m.put("digest", i.digest().toString());
        m.put("platform", i.platform());
        m.put("labels", i.labels());
        m.put("config", Map.of("user", i.config().user(), "entrypoint", i.config().entrypoint(),
                "cmd", i.config().cmd(), "exposedPorts", i.config().exposedPorts(),
                "envNames", i.config().envNames()));
        putIfKnown(m, "created", i.created());
        Map<String, Object> os = new HashMap<>();
        os.put("name", i.os().name());
        os.put("version", i.os().version());
        os.put("endOfLife", i.os().endOfLife());
        putIfKnown(os, "endOfLifeDate", startOf(i.os().endOfLifeDate()));
        m.put("os", os);
        m.put("complete", i.complete());
        m.put("unreadable", i.unreadable().stream().map(Bindings::unreadable).toList());
        return m;
    }

    private static Map<String, Object> unreadable(UnreadableFacts u) {
        return Map.of("layerDigest", u.layerDigest().toString(), "path", u.path(), "reason", u.reason());
    }

    private static Map<String, Object> database(DatabaseFacts d, Instant now) {
        Map<String, Object> m = new HashMap<>();
        m.put("present", d.present());
        m.put("snapshot", d.snapshot());
        putIfKnown(m, "importedAt", d.importedAt());
        // a database never imported is as old as it can be, so an age limit rejects it
        m.put("age", age(d.importedAt() == null ? Instant.EPOCH : d.importedAt(), now));
        return m;
    }

    private static Duration age(Instant since, Instant now) {
        // a date in the future (clock skew between feed and gate) is age zero, never negative
        return since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    }

    private static Instant startOf(LocalDate date) {
        return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String text(Digest digest) {
        return digest == null ? "" : digest.toString();
    }

    private static void putIfKnown(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** The items of {@code kind} in {@code subject}, as maps, in subject order; empty for {@link ResourceKind#IMAGE}. */
    static List<Map<String, Object>> items(ResourceKind kind, Subject subject, Instant now) {
        return switch (kind) {
            case VULNERABILITY -> subject.findings().stream().map(f -> finding(f, now)).toList();
            case PACKAGE -> subject.packages().stream().map(Bindings::pkg).toList();
            case MISCONFIGURATION -> subject.misconfigurations().stream().map(Bindings::misconfiguration).toList();
            case SECRET -> subject.secrets().stream().map(Bindings::secret).toList();
            case UNEVALUABLE -> subject.unevaluable().stream().map(Bindings::unevaluable).toList();
            case IMAGE -> List.of();
        };
    }
}
