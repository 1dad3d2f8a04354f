package dev.portcullis.policy;

import static dev.portcullis.policy.Facts.NOW;
import static dev.portcullis.policy.Facts.finding;
import static dev.portcullis.policy.Facts.subject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnevaluableReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultPolicyTest {
    private static final EffectivePolicy DEFAULT = EffectivePolicy.of(PolicyDocuments.defaultOrganisation(), List.of());

    private static Verdict judge(Subject s) {
        return DEFAULT.evaluate(s, List.of(), Optional.empty(), NOW);
    }

    @Test
    void alpineWithNoMatchesIsPromotedWithAnEndOfLifeWarning() {
        Verdict v = judge(CorpusSubjects.of("alpine-3.10.3", NOW));
        assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(v.warnings()).extracting(Reason::rule).containsExactly("end-of-life-os");
    }

    @Test
    void debianWithOnlyUnfixedFindingsIsPromotedWithEveryFindingAsAWarning() {
        Subject s = CorpusSubjects.of("debian-bookworm-minbase", NOW);
        assertThat(s.findings()).hasSize(87).noneMatch(f -> f.fixAvailable());
        Verdict v = judge(s);
        assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(v.warnings()).hasSize(87).allMatch(r -> r.rule().equals("other-vulnerability"));
    }

    @Test
    void javaAppIsRejectedForLog4ShellNamingTheFix() {
        Verdict v = judge(CorpusSubjects.of("java-app", NOW));
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).filteredOn(r -> r.aliases().contains("CVE-2021-44228")).first().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("fixable-critical-or-high");
            assertThat(r.item()).isEqualTo("GHSA-jfh8-c2jp-5v3q");
            assertThat(r.packageName()).isEqualTo("org.apache.logging.log4j:log4j-core");
            assertThat(r.installedVersion()).isEqualTo("2.14.1");
            assertThat(r.fixedVersions()).contains("2.15.0");
            assertThat(r.layerDigest()).startsWith("sha256:");
        });
    }

    @Test
    void misconfigSecretsIsRejectedForItsSecrets() {
        Verdict v = judge(CorpusSubjects.of("misconfig-secrets", NOW));
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).extracting(Reason::rule).containsOnly("exposed-secret");
        assertThat(v.rejections()).extracting(Reason::item).contains("aws-access-key-id", "private-key-rsa-pem");
        assertThat(v.warnings()).extracting(Reason::rule).contains("misconfiguration");
    }

    @Test
    void unevaluableThirdPartyPackagesRejectFirstPartyOnesWarn() {
        UnevaluableFacts ownModule = new UnevaluableFacts("pkg:golang/example.com/app@(devel)", "example.com/app",
                "(devel)", UnevaluableReason.UNPARSEABLE_VERSION, true);
        UnevaluableFacts vendored = new UnevaluableFacts("pkg:generic/libfoo@1.0", "libfoo", "1.0",
                UnevaluableReason.UNKNOWN_ECOSYSTEM, false);
        Verdict own = judge(subject().unevaluable(ownModule).build());
        assertThat(own.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(own.warnings()).extracting(Reason::rule).containsExactly("unevaluable-first-party-package");
        Verdict third = judge(subject().unevaluable(ownModule).unevaluable(vendored).build());
        assertThat(third.decision()).isEqualTo(Decision.REJECT);
        assertThat(third.rejections()).extracting(Reason::item, Reason::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pkg:generic/libfoo@1.0", "UNKNOWN_ECOSYSTEM"));
    }

    @Test
    void anIncompleteScanRejects() {
        ImageFacts i = Facts.image("acme/web");
        ImageFacts incomplete = new ImageFacts(i.repository(), i.team(), i.tag(), i.digest(), i.platform(),
                i.labels(), i.config(), i.created(), i.os(), false, List.of(Facts.unreadable()));
        assertThat(judge(subject().image(incomplete).build()).rejections()).extracting(Reason::rule)
                .containsExactly("incomplete-scan");
    }

    @Test
    void aMissingOrStaleDatabaseRejects() {
        assertThat(judge(subject().database(DatabaseFacts.absent()).build()).rejections())
                .extracting(Reason::rule).containsExactly("stale-vulnerability-database");
        Subject eightDaysOld = subject().database(new DatabaseFacts(true, "s", NOW.minus(Duration.ofDays(8)))).build();
        assertThat(judge(eightDaysOld).decision()).isEqualTo(Decision.REJECT);
        Subject sixDaysOld = subject().database(new DatabaseFacts(true, "s", NOW.minus(Duration.ofDays(6)))).build();
        assertThat(judge(sixDaysOld).decision()).isEqualTo(Decision.PROMOTE);
        EffectivePolicy strict = EffectivePolicy.of(PolicyDocuments.defaultOrganisation(Duration.ofDays(1)),
                List.of());
        assertThat(strict.evaluate(sixDaysOld, List.of(), Optional.empty(), NOW).decision())
                .isEqualTo(Decision.REJECT);
    }

    @Test
    void fixableMediumFindingsOnlyWarn() {
        Verdict v = judge(subject().finding(finding("CVE-1", Severity.MEDIUM, "1.1"))
                .finding(finding("CVE-2", Severity.HIGH)).build());
        assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(v.warnings()).extracting(Reason::item).containsExactly("CVE-1", "CVE-2");
    }
}
