package dev.portcullis.policy;

import static dev.portcullis.policy.Facts.NOW;
import static dev.portcullis.policy.Facts.finding;
import static dev.portcullis.policy.Facts.organisation;
import static dev.portcullis.policy.Facts.rule;
import static dev.portcullis.policy.Facts.subject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
    private static final EffectivePolicy CURRENT = EffectivePolicy.of(organisation(
            rule("critical", "vulnerability", "finding.severity >= CRITICAL", "reject")), List.of());

    private static Subject image(String repository, char digest, Severity severity) {
        ImageFacts i = Facts.image(repository);
        return subject().image(new ImageFacts(i.repository(), i.team(), i.tag(), Facts.digest(digest),
                i.platform(), i.labels(), i.config(), i.created(), i.os(), true, List.of()))
                .finding(finding("CVE-" + digest, severity, "9.9")).build();
    }

    private static PolicyDiff.Judged judged(Subject s) {
        return new PolicyDiff.Judged(s, CURRENT.evaluate(s, List.of(), Optional.empty(), NOW));
    }

    @Test
    void reportsPerTeamTheImagesWhoseDecisionChangesAndWhy() {
        List<PolicyDiff.Judged> stored = List.of(
                judged(image("acme/web", 'a', Severity.HIGH)),
                judged(image("acme/api", 'b', Severity.CRITICAL)),
                judged(image("globex/app", 'c', Severity.HIGH)),
                judged(image("initech/app", 'd', Severity.LOW)));
        EffectivePolicy stricter = EffectivePolicy.of(organisation(
                rule("high", "vulnerability", "finding.severity >= HIGH", "reject")), List.of());
        PolicyDiff diff = PolicyDiff.dryRun(stricter, stored, List.of(), NOW);
        assertThat(diff.evaluated()).isEqualTo(4);
        assertThat(diff.changes().keySet()).containsExactly("acme", "globex");
        PolicyDiff.Change web = diff.changes().get("acme").getFirst();
        assertThat(diff.changes().get("acme")).hasSize(1);
        assertThat(web.repository()).isEqualTo("acme/web");
        assertThat(web.digest()).isEqualTo(Facts.digest('a'));
        assertThat(web.before()).isEqualTo(Decision.PROMOTE);
        assertThat(web.after()).isEqualTo(Decision.REJECT);
        assertThat(web.added()).extracting(Reason::rule, Reason::item)
                .containsExactly(org.assertj.core.api.Assertions.tuple("high", "CVE-a"));
        assertThat(web.removed()).isEmpty();

        EffectivePolicy looser = EffectivePolicy.of(organisation(""), List.of());
        PolicyDiff relaxed = PolicyDiff.dryRun(looser, stored, List.of(), NOW);
        assertThat(relaxed.changes().get("acme")).singleElement().satisfies(c -> {
            assertThat(c.repository()).isEqualTo("acme/api");
            assertThat(c.after()).isEqualTo(Decision.PROMOTE);
            assertThat(c.removed()).extracting(Reason::rule).containsExactly("critical");
        });
    }

    @Test
    void exceptionsGivenToTheDryRunApply() {
        List<PolicyDiff.Judged> stored = List.of(judged(image("acme/api", 'b', Severity.CRITICAL)));
        ExceptionGrant g = new ExceptionGrant("ex", "CVE-b", ExceptionGrant.Scope.team("acme"), null, "r", "a", "",
                NOW.minusSeconds(1), NOW.plus(Duration.ofDays(1)), null);
        assertThat(PolicyDiff.dryRun(CURRENT, stored, List.of(g), NOW).changes().get("acme"))
                .singleElement().extracting(PolicyDiff.Change::after).isEqualTo(Decision.PROMOTE);
        assertThat(PolicyDiff.dryRun(CURRENT, stored, List.of(), NOW).changes()).isEmpty();
    }

    @Test
    void manyStoredResultsAreJudgedWithOneCompiledPolicy() {
        // the 10,000-result timing lives in bench/gate; here the many-subject path is checked for correctness
        // subjects shaped like the corpus' real results: the debian image (87 findings, 88 packages) and java-app
        Subject debian = CorpusSubjects.of("debian-bookworm-minbase", NOW);
        Subject java = CorpusSubjects.of("java-app", NOW);
        EffectivePolicy current = EffectivePolicy.of(PolicyDocuments.defaultOrganisation(), List.of());
        // a verdict does not name its image, so the two bases' verdicts stand for every copy
        Verdict debianVerdict = current.evaluate(debian, List.of(), Optional.empty(), NOW);
        Verdict javaVerdict = current.evaluate(java, List.of(), Optional.empty(), NOW);
        List<PolicyDiff.Judged> stored = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 500; i++) {
            Subject base = i % 2 == 0 ? debian : java;
            ImageFacts b = base.image();
            ImageFacts image = new ImageFacts("team" + (i % 50) + "/app" + i, "team" + (i % 50), "1.0",
                    Digest.parse("sha256:" + "0".repeat(56) + hex.toHexDigits(i)), b.platform(), b.labels(),
                    b.config(), b.created(), b.os(), true, List.of());
            Subject s = new Subject(image, base.packages(), base.findings(), base.misconfigurations(),
                    base.secrets(), base.unevaluable(), base.database());
            stored.add(new PolicyDiff.Judged(s, i % 2 == 0 ? debianVerdict : javaVerdict));
        }
        EffectivePolicy proposed = EffectivePolicy.of(PolicyDocuments.defaultOrganisation(), List.of(
                PolicyDocuments.parse("owner:\n  team: team8\nversion: 1\nrules:\n"
                        + rule("no-low", "vulnerability", "finding.severity >= LOW && finding.feed == \"debian\"",
                        "reject"), "team8.yaml")));
        PolicyDiff diff = PolicyDiff.dryRun(proposed, stored, List.of(), NOW);
        assertThat(diff.evaluated()).isEqualTo(500);
        // team8 holds images 8, 58, 108, ...: all even, so all the promoted debian image, which its new rule rejects;
        // the java-app images of other teams stay rejected and do not change
        assertThat(diff.changes()).containsOnlyKeys("team8");
        assertThat(diff.changes().get("team8")).hasSize(10)
                .allSatisfy(c -> assertThat(c.after()).isEqualTo(Decision.REJECT));
    }
}
