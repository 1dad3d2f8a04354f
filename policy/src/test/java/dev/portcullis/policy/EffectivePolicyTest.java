package dev.portcullis.policy;

import static dev.portcullis.policy.Facts.NOW;
import static dev.portcullis.policy.Facts.finding;
import static dev.portcullis.policy.Facts.organisation;
import static dev.portcullis.policy.Facts.rule;
import static dev.portcullis.policy.Facts.subject;
import static dev.portcullis.policy.Facts.team;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnevaluableReason;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectivePolicyTest {

    private static Verdict judge(PolicyDocument org, Subject s) {
        return EffectivePolicy.of(org, List.of()).evaluate(s, List.of(), Optional.empty(), NOW);
    }

    @Test
    void theIssuesExampleConditionRejectsOnlyOldFixableHighFindings() {
        PolicyDocument org = organisation(rule("fixable-high", "vulnerability",
                "finding.severity >= HIGH && finding.fixAvailable && finding.age > duration(\"72h\")", "reject"));
        FindingFacts old = finding("CVE-2021-44228", Severity.CRITICAL, "2.15.0");
        FindingFacts fresh = Facts.withPublished(finding("CVE-2026-1", Severity.HIGH, "1.1"), NOW.minusSeconds(3600));
        FindingFacts unfixed = finding("CVE-2026-2", Severity.CRITICAL);
        FindingFacts medium = finding("CVE-2026-3", Severity.MEDIUM, "1.2");
        Verdict v = judge(org, subject().finding(old).finding(fresh).finding(unfixed).finding(medium).build());
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("fixable-high");
            assertThat(r.owner()).isEqualTo("organisation");
            assertThat(r.resource()).isEqualTo(ResourceKind.VULNERABILITY);
            assertThat(r.item()).isEqualTo("CVE-2021-44228");
            assertThat(r.packageName()).isEqualTo("org.example:lib");
            assertThat(r.packagePurl()).isEqualTo("pkg:maven/org.example/lib@1.0");
            assertThat(r.installedVersion()).isEqualTo("1.0");
            assertThat(r.layerDigest()).isEqualTo(Facts.LAYER.toString());
            assertThat(r.layerCreatedBy()).isEqualTo("COPY lib /app/lib");
            assertThat(r.fixedVersions()).containsExactly("2.15.0");
            assertThat(r.message()).isEqualTo("fixable-high fired");
            assertThat(r.isEvaluationError()).isFalse();
        });
        assertThat(v.policyVersions()).isEqualTo(Map.of("organisation", 1));
        assertThat(v.evaluatedAt()).isEqualTo(NOW);
    }

    @Test
    void anUnknownPublicationDateCountsAsOld() {
        PolicyDocument org = organisation(rule("grace", "vulnerability",
                "finding.fixAvailable && finding.age > duration(\"72h\")", "reject")
                + rule("unknown-date", "vulnerability", "!has(finding.published)", "warn"));
        FindingFacts undated = Facts.withPublished(finding("CVE-2026-9", Severity.LOW, "2.0"), null);
        Verdict v = judge(org, subject().finding(undated).build());
        assertThat(v.rejections()).extracting(Reason::rule).containsExactly("grace");
        assertThat(v.warnings()).extracting(Reason::rule).containsExactly("unknown-date");
    }

    @Test
    void aFutureDateIsAgeZero() {
        PolicyDocument org = organisation(rule("aged", "vulnerability", "finding.age > duration(\"0s\")", "reject"));
        FindingFacts future = Facts.withPublished(finding("CVE-2027-1", Severity.LOW), NOW.plusSeconds(60));
        assertThat(judge(org, subject().finding(future).build()).decision()).isEqualTo(Decision.PROMOTE);
    }

    @Test
    void eachResourceKindBindsItsVariable() {
        PolicyDocument org = organisation(
                rule("gpl", "package", "pkg.licence == \"GPL-3.0\" && pkg.layerCreatedBy.startsWith(\"COPY\")", "reject")
                + rule("root", "misconfiguration", "misconfiguration.id == \"runs-as-root\" && misconfiguration.severity >= MEDIUM", "warn")
                + rule("aws", "secret", "secret.ruleId == \"aws-access-key-id\" && secret.line == 2", "reject")
                + rule("no-db", "unevaluable", "unevaluable.reason == \"NO_DATABASE\" && !unevaluable.firstParty", "reject")
                + rule("latest", "image", "image.tag == \"1.0\" && image.team == \"acme\" && image.platform == \"linux/amd64\"", "warn"));
        Subject s = subject()
                .pkg(Facts.pkg("pkg:maven/org.example/gpl@1.0", "GPL-3.0"))
                .pkg(Facts.pkg("pkg:maven/org.example/mit@1.0", "MIT"))
                .pkg(Facts.pkg("pkg:maven/org.example/unknown@1.0", null))
                .misconfig(Facts.misconfig("runs-as-root", Severity.MEDIUM))
                .misconfig(Facts.misconfig("no-healthcheck", Severity.LOW))
                .secret(Facts.secret("aws-access-key-id"))
                .unevaluable(new UnevaluableFacts("pkg:npm/left-pad@1.0", "left-pad", "1.0",
                        UnevaluableReason.NO_DATABASE, false))
                .unevaluable(new UnevaluableFacts("pkg:golang/example.com/app@(devel)", "example.com/app", "(devel)",
                        UnevaluableReason.UNPARSEABLE_VERSION, true))
                .build();
        Verdict v = judge(org, s);
        assertThat(v.rejections()).extracting(Reason::rule, Reason::item, Reason::detail).containsExactly(
                tuple("gpl", "pkg:maven/org.example/gpl@1.0", "app/lib/lib-1.0.jar"),
                tuple("aws", "aws-access-key-id", "root/.aws/credentials:2"),
                tuple("no-db", "pkg:npm/left-pad@1.0", "NO_DATABASE"));
        assertThat(v.warnings()).extracting(Reason::rule, Reason::item).containsExactly(
                tuple("root", "runs-as-root"),
                tuple("latest", "acme/web"));
    }

    @Test
    void imageFactsAreAllReachable() {
        ImageFacts image = new ImageFacts("acme/web", "acme", null, Facts.IMAGE_DIGEST, "linux/arm64",
                Map.of("org.opencontainers.image.source", "git"),
                new ConfigFacts("", List.of("/app"), List.of(), List.of("22/tcp", "8080/tcp"), List.of("AWS_KEY")),
                Instant.parse("2020-01-01T00:00:00Z"), new OsFacts("alpine", "3.10.3", true, LocalDate.of(2021, 5, 1)),
                false, List.of(Facts.unreadable()));
        PolicyDocument org = organisation(
                rule("ssh", "image", "\"22/tcp\" in image.config.exposedPorts && image.config.user == \"\"", "reject")
                + rule("env", "image", "image.config.envNames.exists(n, n.startsWith(\"AWS_\"))", "warn")
                + rule("old", "image", "image.created < now - duration(\"8760h\")", "warn")
                + rule("eol", "image", "image.os.endOfLife && image.os.endOfLifeDate < now && image.os.name == \"alpine\"", "warn")
                + rule("untagged", "image", "image.tag == \"\" && image.digest.startsWith(\"sha256:\")", "warn")
                + rule("label", "image", "\"org.opencontainers.image.source\" in image.labels", "warn")
                + rule("incomplete", "image", "!image.complete && size(image.unreadable) == 1 && image.unreadable[0].reason.contains(\"gzip\")", "reject"));
        Verdict v = judge(org, subject().image(image).build());
        assertThat(v.rejections()).extracting(Reason::rule).containsExactly("ssh", "incomplete");
        assertThat(v.warnings()).extracting(Reason::rule).containsExactly("env", "old", "eol", "untagged", "label");
    }

    @Test
    void theDatabaseAgeIsComputedFromNow() {
        PolicyDocument org = organisation(rule("stale", "image",
                "!db.present || db.age > duration(\"168h\")", "reject"));
        Subject fresh = subject().database(new DatabaseFacts(true, "s", NOW.minusSeconds(6 * 86_400))).build();
        Subject stale = subject().database(new DatabaseFacts(true, "s", NOW.minusSeconds(8 * 86_400))).build();
        Subject absent = subject().database(DatabaseFacts.absent()).build();
        assertThat(judge(org, fresh).decision()).isEqualTo(Decision.PROMOTE);
        assertThat(judge(org, stale).decision()).isEqualTo(Decision.REJECT);
        assertThat(judge(org, absent).decision()).isEqualTo(Decision.REJECT);
        // the same stored subject, judged later, sees an older database
        EffectivePolicy p = EffectivePolicy.of(org, List.of());
        assertThat(p.evaluate(fresh, List.of(), Optional.empty(), NOW.plusSeconds(2 * 86_400)).decision())
                .isEqualTo(Decision.REJECT);
    }

    @Test
    void aRuntimeErrorFailsClosedEvenForAWarnRule() {
        PolicyDocument org = organisation(
                rule("score", "vulnerability", "finding.cvssScore >= 9.0", "warn")
                + rule("bad-regex", "image", "image.repository.matches(\"[\")", "warn")
                + rule("guarded", "vulnerability", "has(finding.cvssScore) && finding.cvssScore >= 9.0", "reject"));
        Verdict v = judge(org, subject().finding(finding("CVE-1", Severity.HIGH)).build());
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).extracting(Reason::rule).containsExactly("score", "bad-regex");
        assertThat(v.rejections()).allSatisfy(r -> {
            assertThat(r.isEvaluationError()).isTrue();
            assertThat(r.action()).isEqualTo(Action.REJECT);
            assertThat(r.message()).startsWith("the rule's condition could not be evaluated");
        });
        assertThat(v.rejections().getFirst().evaluationError()).contains("cvssScore");
        assertThat(v.rejections().getFirst().item()).isEqualTo("CVE-1");
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void aTeamPolicyAddsRulesForItsOwnImagesOnly() {
        PolicyDocument org = organisation(rule("secrets", "secret", "true", "reject"));
        PolicyDocument acme = team("acme", rule("no-medium", "vulnerability", "finding.severity >= MEDIUM", "reject"));
        EffectivePolicy p = EffectivePolicy.of(org, List.of(acme));
        Subject acmeImage = subject().finding(finding("CVE-1", Severity.MEDIUM)).build();
        Subject otherImage = subject().image(Facts.image("globex/api")).finding(finding("CVE-1", Severity.MEDIUM))
                .build();
        Verdict acmeVerdict = p.evaluate(acmeImage, List.of(), Optional.empty(), NOW);
        assertThat(acmeVerdict.decision()).isEqualTo(Decision.REJECT);
        assertThat(acmeVerdict.rejections()).extracting(Reason::rule, Reason::owner)
                .containsExactly(tuple("no-medium", "team:acme"));
        assertThat(acmeVerdict.policyVersions()).isEqualTo(Map.of("organisation", 1, "team:acme", 2));
        Verdict other = p.evaluate(otherImage, List.of(), Optional.empty(), NOW);
        assertThat(other.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(other.policyVersions()).isEqualTo(Map.of("organisation", 1));
    }

    @Test
    void aTeamCannotWeakenTheOrganisationsRules() {
        PolicyDocument org = organisation(rule("secrets", "secret", "true", "reject"));
        PolicyDocument acme = team("acme", rule("secrets", "secret", "false", "warn"));
        PolicyDocument acmeAgain = team("acme", rule("extra", "image", "true", "warn"));
        assertThatThrownBy(() -> EffectivePolicy.of(org, List.of(acme, acmeAgain)))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
                        .extracting(Problem::message).containsExactly(
                                "team acme's rule 'secrets' has the name of an organisation rule; a team policy can"
                                        + " only add rules, never replace one: rename it",
                                "team acme has more than one policy document"));
        // the organisation's rule still binds the team's images whatever the team adds
        EffectivePolicy p = EffectivePolicy.of(org, List.of(team("acme",
                rule("allow-all", "secret", "false", "warn"))));
        assertThat(p.evaluate(subject().secret(Facts.secret("k")).build(), List.of(), Optional.empty(), NOW)
                .decision()).isEqualTo(Decision.REJECT);
    }

    @Test
    void documentsMustBeInTheirPlace() {
        PolicyDocument org = organisation(rule("r", "image", "true", "warn"));
        PolicyDocument acme = team("acme", rule("t", "image", "true", "warn"));
        assertThatThrownBy(() -> EffectivePolicy.of(acme, List.of(org)))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
                        .extracting(Problem::message).containsExactly(
                                "the organisation's policy must have owner 'organisation', not team:acme",
                                "a team policy must have owner 'team: <name>'; only one organisation policy exists"));
    }

    @Test
    void aTeamDocumentBuiltInCodeCannotCarryBoundsEither() {
        assertThatThrownBy(() -> new PolicyDocument(Owner.team("acme"), 1, List.of(), ExceptionBounds.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conditionsOfDocumentsBuiltInCodeAreCheckedToo() {
        PolicyDocument org = new PolicyDocument(Owner.organisation(), 1,
                List.of(new Rule("typo", ResourceKind.IMAGE, "image.nope", Action.WARN, "m")), null);
        assertThatThrownBy(() -> EffectivePolicy.of(org, List.of()))
                .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
                        .extracting(Problem::message)
                        .containsExactly("organisation rule 'typo': undefined field 'nope'"));
    }

    @Test
    void exceptionBoundsDefaultWhenTheOrganisationSetsNone() {
        assertThat(EffectivePolicy.of(organisation(""), List.of()).exceptionBounds())
                .isEqualTo(ExceptionBounds.defaults());
        assertThat(EffectivePolicy.of(PolicyDocuments.defaultOrganisation(), List.of()).exceptionBounds())
                .isEqualTo(PolicyDocuments.defaultOrganisation().exceptions());
    }
}
