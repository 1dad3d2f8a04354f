package dev.portcullis.report;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.Action;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.ExceptionUse;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.ResourceKind;
import dev.portcullis.policy.Verdict;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A judged image like the gate's java-app rejection: Log4Shell with a fix, a secret, a misconfiguration. */
final class Fixtures {
    static final Digest IMAGE = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    static final Digest BASE = Digest.sha256("base layer".getBytes(StandardCharsets.UTF_8));
    static final Digest APP = Digest.sha256("app layer".getBytes(StandardCharsets.UTF_8));
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";

    private Fixtures() {
    }

    static Subject subject(String hostileTitle) {
        ImageFacts image = new ImageFacts("acme/app", "acme", "1.2", IMAGE, "linux/amd64", Map.of("team", "acme"),
                new ConfigFacts("", List.of("java", "-jar", "/app.jar"), List.of(), List.of("8080/tcp"),
                        List.of("PATH")),
                Instant.parse("2026-11-30T08:00:00Z"),
                new OsFacts("debian", "12", false, LocalDate.of(2028, 6, 30)), true, List.of());
        List<PackageFacts> packages = List.of(
                new PackageFacts("pkg:deb/debian/libc6@2.36-9", "deb", "libc6", "2.36-9", BASE,
                        "ADD rootfs.tar /", "var/lib/dpkg/status", "LGPL-2.1", false),
                new PackageFacts(LOG4J, "maven", "org.apache.logging.log4j:log4j-core", "2.14.1", APP,
                        "COPY app.jar /app.jar", "app.jar", "Apache-2.0", false));
        List<FindingFacts> findings = List.of(
                new FindingFacts("CVE-2023-4911", List.of(), Severity.HIGH, 7.8, null, false, List.of(),
                        Instant.parse("2023-10-03T00:00:00Z"), "pkg:deb/debian/libc6@2.36-9", "libc6", "2.36-9",
                        BASE, "ADD rootfs.tar /", "debian"),
                new FindingFacts("GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"), Severity.CRITICAL, 10.0,
                        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", true, List.of("2.15.0"),
                        Instant.parse("2021-12-10T00:00:00Z"), LOG4J, "org.apache.logging.log4j:log4j-core",
                        "2.14.1", APP, "COPY app.jar /app.jar", "ghsa"),
                new FindingFacts("GHSA-7rjr-3q55-vv33", List.of("CVE-2021-45046"), Severity.CRITICAL, 9.0, null,
                        true, List.of("2.16.0"), Instant.parse("2021-12-14T00:00:00Z"), LOG4J,
                        "org.apache.logging.log4j:log4j-core", "2.14.1", APP, "COPY app.jar /app.jar", "ghsa"));
        return new Subject(image, packages, findings,
                List.of(new MisconfigFacts("runs-as-root", Severity.MEDIUM, "Image runs as root", "config.User")),
                List.of(new SecretFacts("aws-access-key", Severity.CRITICAL, hostileTitle, APP, "etc/app/creds", 3)),
                List.of(new UnevaluableFacts("pkg:generic/vendor-blob@1.0", "vendor-blob", "1.0",
                        UnevaluableReason.UNKNOWN_ECOSYSTEM, false)),
                new DatabaseFacts(true, "sha256:feed", Instant.parse("2026-11-30T23:00:00Z")));
    }

    static Reason log4shell() {
        return new Reason("fixable-critical", "organisation", Action.REJECT, ResourceKind.VULNERABILITY,
                "critical or high vulnerability with a fix", "GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"),
                "org.apache.logging.log4j:log4j-core", LOG4J, "2.14.1", APP.toString(), "COPY app.jar /app.jar",
                List.of("2.15.0"), "app.jar", null);
    }

    static Reason secondLog4j() {
        return new Reason("fixable-critical", "organisation", Action.REJECT, ResourceKind.VULNERABILITY,
                "critical or high vulnerability with a fix", "GHSA-7rjr-3q55-vv33", List.of("CVE-2021-45046"),
                "org.apache.logging.log4j:log4j-core", LOG4J, "2.14.1", APP.toString(), "COPY app.jar /app.jar",
                List.of("2.16.0"), "app.jar", null);
    }

    static Reason secret(String message) {
        return new Reason("exposed-secret", "organisation", Action.REJECT, ResourceKind.SECRET, message,
                "aws-access-key", List.of(), "", "", "", APP.toString(), "", List.of(), "etc/app/creds:3", null);
    }

    static Reason rootWarning() {
        return new Reason("runs-as-root", "team:acme", Action.WARN, ResourceKind.MISCONFIGURATION,
                "runs as root", "runs-as-root", List.of(), "", "", "", "", "", List.of(), "config.User", null);
    }

    /** Rejected by Log4Shell and the secret; the second log4j advisory is accepted by an exception. */
    static VerdictReport rejected(String hostile) {
        Verdict v = new Verdict(Decision.REJECT, List.of(log4shell(), secret(hostile)), List.of(rootWarning()),
                List.of(new ExceptionUse("exc-1", "CVE-2021-45046", Instant.parse("2027-01-31T00:00:00Z"),
                        secondLog4j())),
                null, Map.of("organisation", 3, "team:acme", 1), NOW);
        Subject s = subject(hostile);
        return new VerdictReport("unscanned/acme/app", "1.2", IMAGE, "rejected", s, v,
                new VerdictReport.Provenance("0.1.0", "sha256:analyzers"),
                List.of(new VerdictReport.Layer(BASE, 29_000_000, "ADD rootfs.tar /"),
                        new VerdictReport.Layer(APP, 1_234_567, "COPY app.jar /app.jar")));
    }

    /** The same image let through by break-glass. */
    static VerdictReport brokenGlass() {
        Verdict v = new Verdict(Decision.PROMOTE, List.of(log4shell()), List.of(), List.of(),
                new BreakGlass(IMAGE, "incident 42 hotfix", "SEC-42", "sam", NOW.minusSeconds(60),
                        NOW.plusSeconds(4 * 3600)),
                Map.of("organisation", 3), NOW);
        return new VerdictReport("unscanned/acme/app", null, IMAGE, "promoted", subject("AWS access key"), v, null,
                VerdictReport.layersOf(subject("AWS access key")));
    }
}
