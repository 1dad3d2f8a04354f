package dev.portcullis.gate.pipeline;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnevaluableReason;
import dev.portcullis.policy.model.UnreadableFacts;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.vulndb.DbStatus;
import dev.portcullis.vulndb.match.Finding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy's input for one scanned image: the scan and its findings translated into the policy model, with the
 * one severity scale of {@link Severity} and reason enums instead of text. Pure.
 */
public final class Subjects {
    private Subjects() {
    }

    /**
     * Where the image lives, as policies see it.
     *
     * @param repository the path below the namespace ({@code acme/web} for {@code unscanned/acme/web}, or the
     *     reference itself for an image outside the registry)
     * @param team the owning team
     * @param tag the tag, null when by digest
     */
    public record Placement(String repository, String team, String tag) {
    }

    /** The database as policies see it: present when any feed was imported; its age counts from the oldest feed. */
    public static DatabaseFacts database(DbStatus status) {
        if (status.feeds().isEmpty()) {
            return DatabaseFacts.absent();
        }
        StringBuilder state = new StringBuilder();
        status.feeds().stream().sorted(java.util.Comparator.comparing(DbStatus.FeedStatus::name)).forEach(f ->
                state.append(f.name()).append('|').append(f.records()).append('|').append(f.lastImport()).append('\n'));
        String snapshot = Digest.sha256(state.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return new DatabaseFacts(true, snapshot, status.oldestImport().orElseThrow());
    }

    /** The subject of {@code scan} at {@code placement}; {@code now} decides whether the OS is past its end of life. */
    public static Subject of(ImageScan scan, Placement placement, DatabaseFacts database, Instant now) {
        ScanResult r = scan.result();
        Map<Digest, String> createdBy = new HashMap<>();
        for (ScanResult.Layer l : r.layers()) {
            createdBy.put(l.digest(), l.createdBy() == null ? "" : l.createdBy());
        }
        Digest imageDigest = r.manifestDigest() != null ? r.manifestDigest() : r.configDigest();
        List<UnreadableFacts> unreadable = new ArrayList<>();
        for (Unreadable u : r.unreadable()) {
            // image-level problems (the configuration, the manifest) have no layer: they are pinned to the config
            unreadable.add(new UnreadableFacts(u.layer() != null ? u.layer() : r.configDigest(), u.path(),
                    u.reason()));
        }
        ImageConfig c = r.config();
        List<String> envNames = c.env().stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) : e)
                .toList();
        ConfigFacts config = new ConfigFacts(c.user(), c.entrypoint(), c.cmd(), c.exposedPorts(), envNames);
        OsFacts os = r.os() == null ? OsFacts.unknown() : new OsFacts(r.os().id(), r.os().versionId(),
                r.os().endOfLife() != null && r.os().endOfLife().isBefore(LocalDate.ofInstant(now, ZoneOffset.UTC)),
                r.os().endOfLife());
        ImageFacts image = new ImageFacts(placement.repository(), placement.team(), placement.tag(), imageDigest,
                r.platform(), c.labels(), config, c.created(), os, unreadable.isEmpty(), unreadable);

        List<PackageFacts> packages = new ArrayList<>();
        Set<String> firstParty = new LinkedHashSet<>();
        for (Package p : r.packages()) {
            String purl = p.purl().canonicalize();
            boolean own = isFirstParty(p);
            if (own) {
                firstParty.add(purl);
            }
            packages.add(new PackageFacts(purl, p.ecosystem().purlType(), p.name(), p.version(), p.layer(),
                    p.layer() == null ? "" : createdBy.getOrDefault(p.layer(), ""), p.path(),
                    p.licenses().isEmpty() ? null : String.join(" AND ", p.licenses()), own));
        }
        List<FindingFacts> findings = new ArrayList<>();
        List<UnevaluableFacts> unevaluable = new ArrayList<>();
        Set<String> seenUnevaluable = new LinkedHashSet<>();
        for (Finding f : scan.findings()) {
            if (f.vex() != null && (f.vex().status().equals("not_affected") || f.vex().status().equals("fixed"))) {
                continue;
            }
            Digest layer = f.pkg().layer().isEmpty() ? null : Digest.parse(f.pkg().layer());
            if (f.kind() == Finding.Kind.UNEVALUABLE) {
                UnevaluableReason reason = reason(f.unevaluable());
                if (seenUnevaluable.add(f.pkg().purl() + "|" + f.pkg().path() + "|" + reason)) {
                    unevaluable.add(new UnevaluableFacts(f.pkg().purl(), f.pkg().name(), f.pkg().version(), reason,
                            firstParty.contains(f.pkg().purl())));
                }
                continue;
            }
            dev.portcullis.vulndb.model.Severity.Cvss best = f.severity().cvss().stream()
                    .filter(x -> !Double.isNaN(x.baseScore()))
                    .max(java.util.Comparator.comparingDouble(dev.portcullis.vulndb.model.Severity.Cvss::baseScore))
                    .orElse(null);
            findings.add(new FindingFacts(f.advisoryId(), f.aliases(), severity(f.severity().level()),
                    best == null ? null : best.baseScore(), best == null ? null : best.vector(),
                    !f.fixedVersions().isEmpty(), f.fixedVersions(), f.published(), f.pkg().purl(), f.pkg().name(),
                    f.pkg().version(), layer, layer == null ? "" : createdBy.getOrDefault(layer, ""), f.feed()));
        }
        List<MisconfigFacts> misconfigurations = new ArrayList<>();
        for (Misconfiguration m : r.misconfigurations()) {
            misconfigurations.add(new MisconfigFacts(m.id(), severity(m.severity()), m.title(), m.where()));
        }
        List<SecretFacts> secrets = new ArrayList<>();
        for (SecretFinding s : r.secrets()) {
            // a secret in the configuration has no layer
            secrets.add(new SecretFacts(s.ruleId(), severity(s.severity()), s.title(), s.layer(), s.path(),
                    Math.max(0, s.line())));
        }
        return new Subject(image, packages, findings, misconfigurations, secrets, unevaluable, database);
    }

    /** The image's own code: a Go main module built from a checkout ({@code (devel)}), not something it installed. */
    static boolean isFirstParty(Package p) {
        return p.ecosystem() == Ecosystem.GO && "true".equals(p.properties().get("main"))
                && "(devel)".equals(p.version());
    }

    static UnevaluableReason reason(Finding.Unevaluable why) {
        return switch (why) {
            case UNKNOWN_ECOSYSTEM, UNKNOWN_DISTRIBUTION -> UnevaluableReason.UNKNOWN_ECOSYSTEM;
            case NO_ADVISORY_DATA -> UnevaluableReason.NO_DATABASE;
            case NO_VERSION_SCHEME -> UnevaluableReason.NO_VERSION_SCHEME;
            case UNPARSEABLE_VERSION -> UnevaluableReason.UNPARSEABLE_VERSION;
            case UNREADABLE_RANGE -> UnevaluableReason.UNREADABLE_ADVISORY;
        };
    }

    /** The vulnerability database's levels on the policy's scale (a score of 0 is the lowest rank, not unknown). */
    public static Severity severity(dev.portcullis.vulndb.model.Severity.Level level) {
        return switch (level) {
            case NONE, LOW -> Severity.LOW;
            case MEDIUM -> Severity.MEDIUM;
            case HIGH -> Severity.HIGH;
            case CRITICAL -> Severity.CRITICAL;
            case UNKNOWN -> Severity.UNKNOWN;
        };
    }

    /** The scanner's levels on the policy's scale. */
    public static Severity severity(dev.portcullis.scanner.analyzer.Severity level) {
        return switch (level) {
            case INFO, LOW -> Severity.LOW;
            case MEDIUM -> Severity.MEDIUM;
            case HIGH -> Severity.HIGH;
            case CRITICAL -> Severity.CRITICAL;
        };
    }
}
