package dev.portcullis.policy;

import static dev.portcullis.policy.Facts.NOW;
import static dev.portcullis.policy.Facts.finding;
import static dev.portcullis.policy.Facts.organisation;
import static dev.portcullis.policy.Facts.rule;
import static dev.portcullis.policy.Facts.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.policy.ExceptionGrant.Scope;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExceptionsTest {
    private static final EffectivePolicy POLICY = EffectivePolicy.of(organisation(
            rule("fixable", "vulnerability", "finding.fixAvailable", "reject")
            + rule("all", "vulnerability", "true", "warn")), List.of());
    private static final FindingFacts LOG4SHELL = Facts.withPackage(Facts.withAliases(
            finding("GHSA-jfh8-c2jp-5v3q", Severity.CRITICAL, "2.15.0"), "CVE-2021-44228"),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    private static final Subject SUBJECT = subject().finding(LOG4SHELL).build();

    private static ExceptionGrant grant(String advisory, Scope scope, String purlPattern) {
        return new ExceptionGrant("ex-1", advisory, scope, purlPattern, "not reachable: no JNDI lookups",
                "alice", "https://tracker/SEC-12", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)),
                null);
    }

    private static Verdict judge(ExceptionGrant... grants) {
        return POLICY.evaluate(SUBJECT, List.of(grants), Optional.empty(), NOW);
    }

    @Test
    void withoutAnExceptionTheFindingRejects() {
        assertThat(judge().decision()).isEqualTo(Decision.REJECT);
    }

    @Test
    void anExceptionMatchesTheAdvisoryIdOrAnyAlias() {
        for (String advisory : List.of("GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228")) {
            Verdict v = judge(grant(advisory, Scope.organisation(), null));
            assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
            assertThat(v.rejections()).isEmpty();
            assertThat(v.exceptionsUsed()).singleElement().satisfies(u -> {
                assertThat(u.exceptionId()).isEqualTo("ex-1");
                assertThat(u.advisory()).isEqualTo(advisory);
                assertThat(u.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(10)));
                assertThat(u.covered().rule()).isEqualTo("fixable");
                assertThat(u.covered().item()).isEqualTo("GHSA-jfh8-c2jp-5v3q");
            });
            // an accepted vulnerability is still shown as a warning
            assertThat(v.warnings()).extracting(Reason::rule).containsExactly("all");
        }
        assertThat(judge(grant("CVE-2021-45046", Scope.organisation(), null)).decision())
                .isEqualTo(Decision.REJECT);
    }

    @Test
    void anExpiredOrRevokedExceptionStopsApplying() {
        ExceptionGrant g = grant("CVE-2021-44228", Scope.organisation(), null);
        assertThat(POLICY.evaluate(SUBJECT, List.of(g), Optional.empty(), g.expiresAt()).decision())
                .isEqualTo(Decision.REJECT);
        assertThat(POLICY.evaluate(SUBJECT, List.of(g), Optional.empty(), g.expiresAt().minusMillis(1)).decision())
                .isEqualTo(Decision.PROMOTE);
        ExceptionGrant revoked = new ExceptionGrant(g.id(), g.advisory(), g.scope(), null, g.reason(), g.approver(),
                g.ticket(), g.createdAt(), g.expiresAt(), NOW.minusSeconds(1));
        assertThat(judge(revoked).decision()).isEqualTo(Decision.REJECT);
        // revoked later than now: still in force now
        ExceptionGrant revokedLater = new ExceptionGrant(g.id(), g.advisory(), g.scope(), null, g.reason(),
                g.approver(), g.ticket(), g.createdAt(), g.expiresAt(), NOW.plusSeconds(1));
        assertThat(judge(revokedLater).decision()).isEqualTo(Decision.PROMOTE);
    }

    @Test
    void theScopeMustCoverTheImage() {
        assertThat(judge(grant("CVE-2021-44228", Scope.team("acme"), null)).decision()).isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.team("globex"), null)).decision()).isEqualTo(Decision.REJECT);
        assertThat(judge(grant("CVE-2021-44228", Scope.repository("acme/*"), null)).decision())
                .isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.repository("acme/web"), null)).decision())
                .isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.repository("acme/api"), null)).decision())
                .isEqualTo(Decision.REJECT);
        assertThat(judge(grant("CVE-2021-44228", Scope.repository("*"), null)).decision())
                .as("* stays within one path segment").isEqualTo(Decision.REJECT);
        assertThat(judge(grant("CVE-2021-44228", Scope.repository("**"), null)).decision())
                .isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.digest(Facts.IMAGE_DIGEST), null)).decision())
                .isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.digest(Facts.digest('b')), null)).decision())
                .isEqualTo(Decision.REJECT);
    }

    @Test
    void aPackagePatternNarrowsTheException() {
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(),
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")).decision()).isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(),
                "pkg:maven/org.apache.logging.log4j/log4j-core")).decision())
                .as("a pattern without a version covers every version").isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(),
                "pkg:maven/org.apache.logging.log4j/*")).decision()).isEqualTo(Decision.PROMOTE);
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(),
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0")).decision()).isEqualTo(Decision.REJECT);
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(),
                "pkg:maven/org.apache.logging.log4j/log4j-api")).decision()).isEqualTo(Decision.REJECT);
        assertThat(judge(grant("CVE-2021-44228", Scope.organisation(), "pkg:maven/**")).decision())
                .isEqualTo(Decision.PROMOTE);
    }

    @Test
    void anExceptionNeverCoversAnEvaluationError() {
        EffectivePolicy p = EffectivePolicy.of(organisation(
                rule("score", "vulnerability", "finding.cvssScore > 7.0", "reject")), List.of());
        Verdict v = p.evaluate(SUBJECT, List.of(grant("CVE-2021-44228", Scope.organisation(), null)),
                Optional.empty(), NOW);
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).singleElement().extracting(Reason::isEvaluationError).isEqualTo(true);
        assertThat(v.exceptionsUsed()).isEmpty();
    }

    @Test
    void grantsAreValidated() {
        assertThatThrownBy(() -> new ExceptionGrant("x", "CVE-1", Scope.organisation(), null, "r", "a", "",
                NOW, null, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("always expires");
        assertThatThrownBy(() -> new ExceptionGrant("x", "CVE-1", Scope.organisation(), null, "r", "a", "",
                NOW, NOW, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExceptionGrant("x", "CVE-1", Scope.organisation(), "maven/log4j", "r", "a",
                "", NOW, NOW.plusSeconds(1), null)).hasMessageContaining("pkg:");
        assertThatThrownBy(() -> new ExceptionGrant("x", " ", Scope.organisation(), null, "r", "a", "", NOW,
                NOW.plusSeconds(1), null)).hasMessageContaining("advisory");
    }

    // bounds

    private static final ExceptionBounds DELEGATING = new ExceptionBounds(true,
            Map.of(Severity.CRITICAL, Duration.ofDays(7)));

    private static ExceptionGrant expiringIn(Duration d, Scope scope) {
        return new ExceptionGrant("ex-2", "CVE-2021-44228", scope, null, "reason", "bob", "", NOW, NOW.plus(d),
                null);
    }

    @Test
    void theSecurityRoleGrantsAnyScopeWithinTheExpiryBound() {
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(7), Scope.organisation()), true, null,
                Severity.CRITICAL, NOW)).isEmpty();
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(8), Scope.organisation()), true, null,
                Severity.CRITICAL, NOW)).hasValueSatisfying(m -> assertThat(m)
                .isEqualTo("an exception for a CRITICAL advisory may last at most 7d (until 2026-12-08T12:00:00Z);"
                        + " 2026-12-09T12:00:00Z is later"));
        // severities the organisation does not bound keep the defaults
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(90), Scope.organisation()), true, null,
                Severity.HIGH, NOW)).isEmpty();
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(91), Scope.organisation()), true, null,
                Severity.HIGH, NOW)).isPresent();
    }

    @Test
    void maintainersGrantOnlyForTheirTeamAndOnlyWhenDelegated() {
        ExceptionGrant forAcme = expiringIn(Duration.ofDays(1), Scope.team("acme"));
        assertThat(DELEGATING.check(forAcme, false, "acme", Severity.CRITICAL, NOW)).isEmpty();
        assertThat(DELEGATING.check(forAcme, false, "globex", Severity.CRITICAL, NOW)).hasValue(
                "a maintainer of team globex may grant exceptions only with scope team globex, not team acme");
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(1), Scope.repository("acme/*")), false, "acme",
                Severity.CRITICAL, NOW)).hasValueSatisfying(m -> assertThat(m).contains("only with scope team acme"));
        assertThat(ExceptionBounds.defaults().check(forAcme, false, "acme", Severity.CRITICAL, NOW))
                .hasValueSatisfying(m -> assertThat(m).contains("maintainersMayGrant is false"));
        assertThat(DELEGATING.check(forAcme, false, null, Severity.CRITICAL, NOW))
                .hasValue("only the security role or a team maintainer may grant exceptions");
        // the expiry bound binds maintainers too
        assertThat(DELEGATING.check(expiringIn(Duration.ofDays(8), Scope.team("acme")), false, "acme",
                Severity.CRITICAL, NOW)).isPresent();
    }

    @Test
    void anExpiryInThePastIsRefused() {
        ExceptionGrant g = new ExceptionGrant("ex-3", "CVE-1", Scope.organisation(), null, "r", "a", "",
                NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)), null);
        assertThat(DELEGATING.check(g, true, null, Severity.LOW, NOW)).hasValueSatisfying(m ->
                assertThat(m).contains("is not in the future"));
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new ExceptionBounds(false, Map.of(Severity.LOW, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ExceptionBounds.defaults().maxExpiry()).hasSize(Severity.values().length);
    }

    // break-glass

    private static BreakGlass glass(Instant from, Instant until) {
        return new BreakGlass(Facts.IMAGE_DIGEST, "prod outage, hotfix", "https://tracker/INC-7", "sec-oncall",
                from, until);
    }

    @Test
    void anActiveBreakGlassPromotesAndKeepsTheReasonsItOverrode() {
        BreakGlass g = glass(NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)));
        Verdict v = POLICY.evaluate(SUBJECT, List.of(), Optional.of(g), NOW);
        assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
        assertThat(v.breakGlass()).isEqualTo(g);
        assertThat(v.policyDecision()).isEqualTo(Decision.REJECT);
        assertThat(v.rejections()).extracting(Reason::item).containsExactly("GHSA-jfh8-c2jp-5v3q");
    }

    @Test
    void anExpiredOrForeignBreakGlassDoesNothing() {
        BreakGlass expired = glass(NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(1)));
        Verdict v = POLICY.evaluate(SUBJECT, List.of(), Optional.of(expired), NOW);
        assertThat(v.decision()).isEqualTo(Decision.REJECT);
        assertThat(v.breakGlass()).isNull();
        BreakGlass notYet = glass(NOW.plusSeconds(1), NOW.plus(Duration.ofHours(1)));
        assertThat(POLICY.evaluate(SUBJECT, List.of(), Optional.of(notYet), NOW).decision())
                .isEqualTo(Decision.REJECT);
        BreakGlass other = new BreakGlass(Facts.digest('c'), "r", "", "sec", NOW.minusSeconds(1), NOW.plusSeconds(60));
        assertThat(POLICY.evaluate(SUBJECT, List.of(), Optional.of(other), NOW).decision())
                .isEqualTo(Decision.REJECT);
    }

    @Test
    void aVerdictCannotClaimADecisionItsReasonsContradict() {
        Verdict rejected = judge();
        assertThatThrownBy(() -> new Verdict(Decision.PROMOTE, rejected.rejections(), List.of(), List.of(), null,
                Map.of(), NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict(Decision.REJECT, List.of(), List.of(), List.of(), null, Map.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
