package dev.portcullis.policy;

import static dev.portcullis.policy.Facts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Json.JsonFormatException;
import dev.portcullis.policy.ExceptionGrant.Scope;
import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnevaluableReason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyJsonTest {

    /** A subject with every field set, and one with every optional field unknown. */
    static Subject full() {
        ImageFacts image = new ImageFacts("acme/web", "acme", "1.0", Facts.IMAGE_DIGEST, "linux/amd64",
                Map.of("b", "2", "a", "1"),
                new ConfigFacts("1000:1000", List.of("/app"), List.of("--serve"), List.of("8080/tcp"), List.of("PATH")),
                Instant.parse("2024-01-01T00:00:00Z"), new OsFacts("alpine", "3.10.3", true, LocalDate.of(2021, 5, 1)),
                false, List.of(Facts.unreadable()));
        FindingFacts f = new FindingFacts("GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"), Severity.CRITICAL, 10.0,
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", true, List.of("2.15.0", "2.12.2"),
                Instant.parse("2021-12-10T00:40:56Z"), "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "org.apache.logging.log4j:log4j-core", "2.14.1", Facts.LAYER, "COPY lib /app/lib", "ghsa-osv");
        return new Subject(image, List.of(Facts.pkg("pkg:maven/a/b@1", "Apache-2.0"),
                new PackageFacts("pkg:golang/example.com/app@(devel)", "golang", "example.com/app", "(devel)", null,
                        "", "app/server", null, true)),
                List.of(f, Facts.finding("CVE-2", Severity.UNKNOWN)), List.of(Facts.misconfig("runs-as-root",
                Severity.MEDIUM)), List.of(Facts.secret("aws"), new SecretFacts("env", Severity.LOW, "t", null,
                "config.Env DB_PASSWORD", 0)),
                List.of(new UnevaluableFacts("pkg:generic/x@1", "x", "1", UnevaluableReason.UNKNOWN_ECOSYSTEM, false)),
                new DatabaseFacts(true, "sha256:abc", NOW));
    }

    private static JsonNode reparse(JsonNode n) {
        return Json.parse(Json.write(n));
    }

    @Test
    void subjectsRoundTrip() {
        Subject s = full();
        assertThat(PolicyJson.readSubject(reparse(PolicyJson.subject(s)))).isEqualTo(s);
        Subject sparse = Facts.subject().database(DatabaseFacts.absent()).build();
        JsonNode json = PolicyJson.subject(sparse);
        assertThat(json.get("database").has("importedAt")).isFalse();
        assertThat(json.get("image").has("created")).isFalse();
        assertThat(PolicyJson.readSubject(reparse(json))).isEqualTo(sparse);
    }

    @Test
    void verdictsRoundTripWithEveryPart() {
        EffectivePolicy p = EffectivePolicy.of(PolicyDocuments.defaultOrganisation(), List.of());
        ExceptionGrant g = new ExceptionGrant("ex-1", "CVE-2021-44228", Scope.team("acme"), null, "r", "alice", "t",
                NOW.minusSeconds(10), NOW.plus(Duration.ofDays(3)), null);
        BreakGlass glass = new BreakGlass(Facts.IMAGE_DIGEST, "outage", "INC-1", "sec", NOW.minusSeconds(1),
                NOW.plusSeconds(3600));
        Verdict v = p.evaluate(full(), List.of(g), Optional.of(glass), NOW);
        assertThat(v.rejections()).isNotEmpty();
        assertThat(v.warnings()).isNotEmpty();
        assertThat(v.exceptionsUsed()).isNotEmpty();
        assertThat(v.breakGlass()).isNotNull();
        assertThat(PolicyJson.readVerdict(reparse(PolicyJson.verdict(v)))).isEqualTo(v);
        Verdict failing = EffectivePolicy.of(Facts.organisation(Facts.rule("bad", "vulnerability",
                "finding.cvssScore > 1.0", "warn")), List.of()).evaluate(Facts.subject()
                .finding(Facts.finding("CVE-3", Severity.LOW)).build(), List.of(), Optional.empty(), NOW);
        assertThat(failing.rejections().getFirst().evaluationError()).isNotNull();
        assertThat(PolicyJson.readVerdict(reparse(PolicyJson.verdict(failing)))).isEqualTo(failing);
    }

    @Test
    void documentsRoundTripAndAreValidatedOnTheWayIn() {
        PolicyDocument d = PolicyDocuments.defaultOrganisation();
        assertThat(PolicyJson.readDocument(reparse(PolicyJson.document(d)))).isEqualTo(d);
        PolicyDocument team = Facts.team("acme", Facts.rule("x", "package", "pkg.firstParty", "warn"));
        assertThat(PolicyJson.readDocument(PolicyJson.document(team))).isEqualTo(team);
        ObjectNode broken = (ObjectNode) PolicyJson.document(team);
        ((ObjectNode) broken.get("rules").get(0)).put("condition", "pkg.nope");
        assertThatThrownBy(() -> PolicyJson.readDocument(broken)).isInstanceOfSatisfying(PolicyException.class,
                e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("condition: undefined field 'nope'"));
    }

    @Test
    void exceptionsAndBreakGlassRoundTrip() {
        for (Scope scope : List.of(Scope.organisation(), Scope.team("acme"), Scope.repository("acme/*"),
                Scope.digest(Facts.IMAGE_DIGEST))) {
            ExceptionGrant g = new ExceptionGrant("ex-1", "CVE-1", scope, "pkg:maven/a/*", "r", "alice", "t",
                    NOW, NOW.plusSeconds(60), NOW.plusSeconds(30));
            assertThat(PolicyJson.readExceptionGrant(reparse(PolicyJson.exceptionGrant(g)))).isEqualTo(g);
        }
        ExceptionGrant plain = new ExceptionGrant("ex-2", "CVE-1", Scope.organisation(), null, "r", "alice", "",
                NOW, NOW.plusSeconds(60), null);
        assertThat(PolicyJson.readExceptionGrant(PolicyJson.exceptionGrant(plain))).isEqualTo(plain);
        BreakGlass b = new BreakGlass(Facts.IMAGE_DIGEST, "outage", "INC-1", "sec", NOW, NOW.plusSeconds(60));
        assertThat(PolicyJson.readBreakGlass(PolicyJson.breakGlass(b))).isEqualTo(b);
    }

    @Test
    void readingNamesTheFieldThatIsWrong() {
        ObjectNode json = (ObjectNode) PolicyJson.subject(full());
        ((ObjectNode) json.get("findings").get(1)).put("severity", "SEVERE");
        assertThatThrownBy(() -> PolicyJson.readSubject(json)).isInstanceOf(JsonFormatException.class)
                .hasMessageStartingWith("findings[1].severity 'SEVERE' is not one of");
        ObjectNode noDigest = (ObjectNode) PolicyJson.subject(full());
        ((ObjectNode) noDigest.get("image")).put("digest", "sha256:short");
        assertThatThrownBy(() -> PolicyJson.readSubject(noDigest)).isInstanceOf(JsonFormatException.class)
                .hasMessageStartingWith("image.digest: ");
        ObjectNode inconsistent = (ObjectNode) PolicyJson.subject(full());
        ((ObjectNode) inconsistent.get("image")).put("complete", true);
        assertThatThrownBy(() -> PolicyJson.readSubject(inconsistent)).isInstanceOf(JsonFormatException.class)
                .hasMessage("image: an image is complete exactly when nothing was unreadable");
        ObjectNode verdict = (ObjectNode) PolicyJson.verdict(EffectivePolicy.of(PolicyDocuments.defaultOrganisation(),
                List.of()).evaluate(full(), List.of(), Optional.empty(), NOW));
        verdict.put("decision", "PROMOTE");
        assertThatThrownBy(() -> PolicyJson.readVerdict(verdict)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("is REJECT, not PROMOTE");
        assertThatThrownBy(() -> PolicyJson.readExceptionGrant(Json.object().put("id", "x")))
                .isInstanceOf(JsonFormatException.class).hasMessage("scope must be an object");
    }
}
