package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.policy.model.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

    private static List<Problem> problems(String yaml) {
        try {
            PolicyDocuments.parse(yaml, "p.yaml");
        } catch (PolicyException e) {
            assertThat(e.source()).isEqualTo("p.yaml");
            return e.problems();
        }
        throw new AssertionError("expected the document to be refused:\n" + yaml);
    }

    @Test
    void readsADocumentWithEveryField() {
        PolicyDocument d = PolicyDocuments.parse("""
                owner: organisation
                version: 3
                exceptions:
                  maintainersMayGrant: true
                  maxExpiry:
                    critical: 14d
                    high: 12h
                rules:
                  - name: fixable-high
                    resource: vulnerability
                    condition: finding.severity >= HIGH && finding.fixAvailable && finding.age > duration("72h")
                    action: reject
                    message: upgrade it
                """, "p.yaml");
        assertThat(d.owner()).isEqualTo(Owner.organisation());
        assertThat(d.version()).isEqualTo(3);
        assertThat(d.exceptions().maintainersMayGrant()).isTrue();
        assertThat(d.exceptions().maxExpiry()).containsEntry(Severity.CRITICAL, Duration.ofDays(14))
                .containsEntry(Severity.HIGH, Duration.ofHours(12))
                .containsEntry(Severity.LOW, ExceptionBounds.DEFAULT_MAX_EXPIRY.get(Severity.LOW));
        assertThat(d.rules()).containsExactly(new Rule("fixable-high", ResourceKind.VULNERABILITY,
                "finding.severity >= HIGH && finding.fixAvailable && finding.age > duration(\"72h\")", Action.REJECT,
                "upgrade it"));
    }

    @Test
    void readsATeamOwner() {
        PolicyDocument d = PolicyDocuments.parse("owner:\n  team: acme\nversion: 1\nrules: []\n", "acme.yaml");
        assertThat(d.owner()).isEqualTo(Owner.team("acme"));
        assertThat(d.rules()).isEmpty();
        assertThat(d.exceptions()).isNull();
    }

    @Test
    void aYamlSyntaxErrorHasItsPosition() {
        List<Problem> p = problems("owner: organisation\nversion: 1\nrules:\n  - name: [unclosed\n");
        assertThat(p).hasSize(1);
        assertThat(p.getFirst().line()).isEqualTo(5);
        assertThat(p.getFirst().message()).startsWith("YAML: ");
    }

    @Test
    void unknownAndMissingFieldsAreAllReportedWithPositions() {
        List<Problem> p = problems("""
                owner: organisation
                version: 1
                colour: blue
                rules:
                  - name: r1
                    resource: image
                    condition: "true"
                    acton: reject
                    message: m
                """);
        assertThat(p).extracting(Problem::toString).containsExactlyInAnyOrder(
                "3:1: unknown field 'colour'; expected one of exceptions, owner, rules, version",
                "8:5: unknown field 'acton'; expected one of action, condition, message, name, resource",
                "5:5: missing field 'action'");
    }

    @Test
    void badValuesNameWhatIsExpected() {
        List<Problem> p = problems("""
                owner: everyone
                version: zero
                rules:
                  - name: "has space"
                    resource: container
                    condition: "true"
                    action: block
                    message: ""
                """);
        assertThat(p).extracting(Problem::toString).containsExactlyInAnyOrder(
                "1:8: owner is 'organisation' or a mapping 'team: <name>'",
                "2:10: version is a whole number of at least 1, not 'zero'",
                "4:11: rule name 'has space' must be 1-100 letters, digits, '-' or '_', starting with a letter or digit",
                "5:15: unknown resource 'container'; expected one of vulnerability, package, misconfiguration, secret,"
                        + " image, unevaluable",
                "7:13: unknown action 'block'; expected reject or warn",
                "8:14: message must not be empty: it is what a developer reads");
    }

    @Test
    void aRepeatedRuleNameIsRefused() {
        List<Problem> p = problems("owner: organisation\nversion: 1\nrules:\n"
                + Facts.rule("same", "image", "true", "warn") + Facts.rule("same", "image", "false", "warn"));
        assertThat(p).extracting(Problem::toString).containsExactly(
                "9:11: rule name 'same' is already used at line 4");
    }

    @Test
    void aCelSyntaxErrorPointsIntoTheCondition() {
        List<Problem> p = problems("""
                owner: organisation
                version: 1
                rules:
                  - name: broken
                    resource: vulnerability
                    condition: finding.severity >= HIGH &&
                    action: reject
                    message: m
                """);
        assertThat(p).hasSize(1);
        // the condition starts at column 16; CEL reports the end of input, 27 characters in
        assertThat(p.getFirst().line()).isEqualTo(6);
        assertThat(p.getFirst().column()).isEqualTo(16 + 27);
        assertThat(p.getFirst().message()).startsWith("condition: mismatched input '<EOF>'");
    }

    @Test
    void aTypeErrorNamesTheUnknownFieldAtItsColumn() {
        List<Problem> p = problems("""
                owner: organisation
                version: 1
                rules:
                  - name: typo
                    resource: vulnerability
                    condition: 'finding.sevrity >= HIGH'
                    action: reject
                    message: m
                """);
        assertThat(p).extracting(Problem::toString)
                .containsExactly("6:24: condition: undefined field 'sevrity'");
    }

    @Test
    void aConditionMustBeBoolAndUseItsKindsVariable() {
        List<Problem> p = problems("owner: organisation\nversion: 1\nrules:\n"
                + Facts.rule("not-bool", "vulnerability", "finding.severity", "warn")
                + Facts.rule("wrong-var", "package", "finding.fixAvailable", "warn")
                + Facts.rule("reserved", "package", "package.firstParty", "warn"));
        assertThat(p).extracting(Problem::message).containsExactly(
                "condition: expected type 'bool' but found 'int'",
                "condition: undeclared reference to 'finding' (in container '')",
                "condition: reserved identifier: package");
    }

    @Test
    void errorsInsideALiteralBlockAreOnTheirOwnLine() {
        List<Problem> p = problems("""
                owner: organisation
                version: 1
                rules:
                  - name: multi
                    resource: package
                    condition: |
                      pkg.firstParty ||
                        pkg.licens == "GPL-3.0"
                    action: warn
                    message: m
                """);
        assertThat(p).extracting(Problem::toString)
                .containsExactly("8:12: condition: undefined field 'licens'");
    }

    @Test
    void aTeamDocumentCannotBoundExceptions() {
        List<Problem> p = problems("""
                owner:
                  team: acme
                version: 1
                exceptions:
                  maintainersMayGrant: true
                rules: []
                """);
        assertThat(p).extracting(Problem::toString).containsExactly(
                "5:3: only the organisation's policy bounds exceptions; remove 'exceptions' from team acme's policy");
    }

    @Test
    void exceptionBoundsAreValidated() {
        List<Problem> p = problems("""
                owner: organisation
                version: 1
                exceptions:
                  maintainersMayGrant: yes
                  maxExpiry:
                    critical: 30 days
                    severe: 1d
                rules: []
                """);
        assertThat(p).extracting(Problem::toString).containsExactlyInAnyOrder(
                "4:24: maintainersMayGrant is true or false, not 'yes'",
                "6:15: maxExpiry.critical is a duration such as 30d, 12h or 90m, not '30 days'",
                "7:5: unknown field 'severe'; expected one of critical, high, low, medium, unknown");
    }

    @Test
    void emptyAndNonMappingDocumentsAreRefused() {
        assertThat(problems("")).extracting(Problem::message)
                .containsExactly("the document is empty; a policy has owner, version and rules");
        assertThat(problems("- a\n- b\n")).extracting(Problem::toString)
                .containsExactly("1:1: a policy document is a mapping with owner, version and rules");
        assertThat(problems("owner: organisation\n---\nowner: organisation\n")).hasSize(1);
    }

    @Test
    void theExceptionMessageListsEveryProblemWithTheSource() {
        assertThatThrownBy(() -> PolicyDocuments.parse("owner: organisation\nversion: 0\n", "org.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("org.yaml:2:10: version is a whole number of at least 1, not '0'\n"
                        + "org.yaml:1:1: missing field 'rules'");
    }

    @Test
    void theWriterIsCanonicalAndReadsBack() {
        PolicyDocument d = new PolicyDocument(Owner.team("acme"), 4, List.of(
                new Rule("quotes", ResourceKind.IMAGE, "image.labels[\"team\"] == \"it's\"", Action.WARN,
                        "it's \"quoted\""),
                new Rule("multi-line", ResourceKind.PACKAGE, "pkg.firstParty ||\n  pkg.licence == \"\"",
                        Action.REJECT, "line one\nline two\ttabbed \u2028 \u00e9 \uD83D\uDE00"),
                new Rule("true", ResourceKind.SECRET, "true", Action.REJECT, "yes")), null);
        String yaml = PolicyDocuments.write(d);
        assertThat(PolicyDocuments.parse(yaml, "written.yaml")).isEqualTo(d);
        assertThat(PolicyDocuments.write(PolicyDocuments.parse(yaml, "written.yaml"))).isEqualTo(yaml);
        assertThat(yaml).startsWith("owner:\n  team: 'acme'\nversion: 4\nrules:\n  - name: 'quotes'\n");
    }

    @Test
    void theWriterKeepsExceptionBounds() {
        PolicyDocument d = new PolicyDocument(Owner.organisation(), 1, List.of(),
                new ExceptionBounds(true, Map.of(Severity.CRITICAL, Duration.ofHours(36))));
        String yaml = PolicyDocuments.write(d);
        assertThat(yaml).contains("    critical: 36h\n").endsWith("rules: []\n");
        assertThat(PolicyDocuments.parse(yaml, "w.yaml")).isEqualTo(d);
    }

    @Test
    void theDefaultPolicyParsesAndRoundTrips() {
        PolicyDocument d = PolicyDocuments.defaultOrganisation();
        assertThat(d.owner().isOrganisation()).isTrue();
        assertThat(d.rules()).extracting(Rule::name).contains("fixable-critical-or-high", "exposed-secret",
                "unevaluable-third-party-package", "incomplete-scan", "stale-vulnerability-database",
                "end-of-life-os");
        assertThat(PolicyDocuments.parse(PolicyDocuments.write(d), "shown.yaml")).isEqualTo(d);
        assertThat(d.rules()).filteredOn(r -> r.name().equals("stale-vulnerability-database"))
                .extracting(Rule::condition).containsExactly("!db.present || db.age > duration(\"168h\")");
    }

    @Test
    void theDefaultPolicysDatabaseAgeIsAParameter() {
        assertThat(PolicyDocuments.defaultOrganisation(Duration.ofDays(2)).rules())
                .filteredOn(r -> r.name().equals("stale-vulnerability-database"))
                .extracting(Rule::condition).containsExactly("!db.present || db.age > duration(\"48h\")");
        assertThat(PolicyDocuments.defaultOrganisationYaml(Duration.ofSeconds(90))).contains("duration(\"90s\")");
        assertThatThrownBy(() -> PolicyDocuments.defaultOrganisation(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverlongSourceIsRefused() {
        String huge = "owner: organisation\nversion: 1\nrules: []\n# " + "x".repeat(PolicyYaml.MAX_SOURCE_CODE_POINTS);
        assertThat(problems(huge)).extracting(Problem::message)
                .containsExactly("a policy document is at most 262144 characters");
    }
}
