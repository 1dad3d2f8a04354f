package dev.portcullis.policy;

import dev.portcullis.oci.Digest;
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
import dev.portcullis.policy.model.UnreadableFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for the facts tests judge; every value is spelled out where a test depends on it. */
final class Facts {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final Digest LAYER = digest('1');
    static final Digest IMAGE_DIGEST = digest('a');

    private Facts() {
    }

    static Digest digest(char c) {
        return Digest.parse("sha256:" + String.valueOf(c).repeat(64));
    }

    static ImageFacts image(String repository) {
        return new ImageFacts(repository, repository.substring(0, repository.indexOf('/')), "1.0", IMAGE_DIGEST,
                "linux/amd64", Map.of(), ConfigFacts.empty(), null, new OsFacts("debian", "12", false, null), true,
                List.of());
    }

    static DatabaseFacts freshDatabase() {
        return new DatabaseFacts(true, "sha256:feeds", NOW.minusSeconds(3600));
    }

    static FindingFacts finding(String id, Severity severity, String... fixedVersions) {
        return new FindingFacts(id, List.of(), severity, null, null, fixedVersions.length > 0,
                List.of(fixedVersions), NOW.minusSeconds(30 * 86_400), "pkg:maven/org.example/lib@1.0", "org.example:lib",
                "1.0", LAYER, "COPY lib /app/lib", "ghsa-osv");
    }

    static FindingFacts withAliases(FindingFacts f, String... aliases) {
        return new FindingFacts(f.id(), List.of(aliases), f.severity(), f.cvssScore(), f.cvssVector(),
                f.fixAvailable(), f.fixedVersions(), f.published(), f.packagePurl(), f.packageName(),
                f.packageVersion(), f.layerDigest(), f.layerCreatedBy(), f.feed());
    }

    static FindingFacts withPackage(FindingFacts f, String purl) {
        return new FindingFacts(f.id(), f.aliases(), f.severity(), f.cvssScore(), f.cvssVector(), f.fixAvailable(),
                f.fixedVersions(), f.published(), purl, f.packageName(), f.packageVersion(), f.layerDigest(),
                f.layerCreatedBy(), f.feed());
    }

    static FindingFacts withPublished(FindingFacts f, Instant published) {
        return new FindingFacts(f.id(), f.aliases(), f.severity(), f.cvssScore(), f.cvssVector(), f.fixAvailable(),
                f.fixedVersions(), published, f.packagePurl(), f.packageName(), f.packageVersion(), f.layerDigest(),
                f.layerCreatedBy(), f.feed());
    }

    static PackageFacts pkg(String purl, String licence) {
        return new PackageFacts(purl, "maven", "org.example:lib", "1.0", LAYER, "COPY lib /app/lib",
                "app/lib/lib-1.0.jar", licence, false);
    }

    static SecretFacts secret(String ruleId) {
        return new SecretFacts(ruleId, Severity.CRITICAL, "AWS access key", LAYER, "root/.aws/credentials", 2);
    }

    static MisconfigFacts misconfig(String id, Severity severity) {
        return new MisconfigFacts(id, severity, "runs as root", "config.User");
    }

    static UnreadableFacts unreadable() {
        return new UnreadableFacts(LAYER, "", "truncated gzip stream");
    }

    /** A subject being built: lists to add to, then {@link #build()}. */
    static final class SubjectBuilder {
        ImageFacts image = Facts.image("acme/web");
        final List<PackageFacts> packages = new ArrayList<>();
        final List<FindingFacts> findings = new ArrayList<>();
        final List<MisconfigFacts> misconfigurations = new ArrayList<>();
        final List<SecretFacts> secrets = new ArrayList<>();
        final List<UnevaluableFacts> unevaluable = new ArrayList<>();
        DatabaseFacts database = Facts.freshDatabase();

        SubjectBuilder image(ImageFacts i) {
            image = i;
            return this;
        }

        SubjectBuilder finding(FindingFacts f) {
            findings.add(f);
            return this;
        }

        SubjectBuilder pkg(PackageFacts p) {
            packages.add(p);
            return this;
        }

        SubjectBuilder secret(SecretFacts s) {
            secrets.add(s);
            return this;
        }

        SubjectBuilder misconfig(MisconfigFacts m) {
            misconfigurations.add(m);
            return this;
        }

        SubjectBuilder unevaluable(UnevaluableFacts u) {
            unevaluable.add(u);
            return this;
        }

        SubjectBuilder database(DatabaseFacts d) {
            database = d;
            return this;
        }

        Subject build() {
            return new Subject(image, packages, findings, misconfigurations, secrets, unevaluable, database);
        }
    }

    static SubjectBuilder subject() {
        return new SubjectBuilder();
    }

    /** An organisation document with the given rules (YAML rule items, already indented as list entries). */
    static PolicyDocument organisation(String rules) {
        return PolicyDocuments.parse("owner: organisation\nversion: 1\nrules:" + (rules.isEmpty() ? " []\n" : "\n" + rules),
                "org.yaml");
    }

    static PolicyDocument team(String team, String rules) {
        return PolicyDocuments.parse("owner:\n  team: " + team + "\nversion: 2\nrules:\n" + rules, team + ".yaml");
    }

    static String rule(String name, String resource, String condition, String action) {
        return "  - name: " + name + "\n    resource: " + resource + "\n    condition: '" + condition.replace("'", "''")
                + "'\n    action: " + action + "\n    message: " + name + " fired\n";
    }
}
