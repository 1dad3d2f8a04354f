package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.gate.EventType;
import dev.portcullis.gate.ExceptionRequest;
import dev.portcullis.gate.Gate;
import dev.portcullis.gate.GateException;
import dev.portcullis.gate.GateImage;
import dev.portcullis.gate.ImageState;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.Reason;
import dev.portcullis.storage.EventOutbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate's events (docs/events.md) on the real server with SQLite and the corpus feeds: real corpus images pushed
 * with skopeo through the registry write image.pushed, scan.started, scan.completed and their verdict's event in
 * that order, with the team, repository, tag, digest and verdict summary; an exception writes exception.granted and
 * the re-judged image's image.promoted with its cause; a change the gate refuses writes no event.
 */
class GateEventsIT {
    private static final Duration VERDICT = Duration.ofMinutes(4);
    private static final RequestContext CTX = new RequestContext("test", "gate-events-it");
    private static Path data;
    private static PortcullisServer server;
    private static String host;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(skopeoAvailable(), "skopeo is not installed (apt-get install skopeo; .ci/run does)");
        Corpus.require();
        data = Files.createTempDirectory("portcullis-gate-events-it-");
        ServerConfig config = ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(data).withDev(true)
                .withShutdownTimeout(Duration.ofSeconds(20));
        server = new PortcullisServer(config, Clock.systemUTC());
        server.vulnDb().importFrom(List.of(Corpus.feeds().toString()));
        server.start();
        host = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            TestServer.deleteTree(data);
        }
    }

    private static Gate gate() {
        return server.gate();
    }

    private static GateImage push(String image, String repository) throws Exception {
        skopeo("copy", "--dest-tls-verify=false", "oci:" + Corpus.image(image).resolve("oci") + ":" + image,
                "docker://" + host + "/" + repository + ":1");
        GateImage g = gate().awaitVerdict(RepositoryName.of(repository), "1", VERDICT).orElseThrow();
        assertThat(g.state().isFinal()).as(g.state().id()).isTrue();
        return g;
    }

    /** The events about one image, oldest first, as the API's reader gets them. */
    private static List<EventOutbox.Event> eventsOf(GateImage g) {
        return all().stream().filter(e -> e.repository().equals(Optional.of(g.repository()))
                && e.digest().equals(Optional.of(g.digest()))).toList();
    }

    private static List<EventOutbox.Event> all() {
        List<EventOutbox.Event> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<EventOutbox.Event> page = gate().events(after, 100, Optional.empty(), Optional.empty());
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            after = page.getLast().id();
        }
    }

    @Test
    void aPushWritesPushedStartedCompletedAndTheVerdictInOrderWithTheImagesFields() throws Exception {
        GateImage g = push("alpine-3.10.3", "unscanned/acme/alpine");
        assertThat(g.state()).isEqualTo(ImageState.PROMOTED);
        List<EventOutbox.Event> events = eventsOf(g);
        assertThat(events).extracting(EventOutbox.Event::type).containsExactly(EventType.IMAGE_PUSHED.id(),
                EventType.SCAN_STARTED.id(), EventType.SCAN_COMPLETED.id(), EventType.IMAGE_PROMOTED.id());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.team()).isEqualTo("acme");
            assertThat(e.tag()).hasValue("1");
        });
        EventOutbox.Event promoted = events.getLast();
        JsonNode d = promoted.data();
        assertThat(d.path("state").asText()).isEqualTo("promoted");
        assertThat(d.path("cause").asText()).isEqualTo("scan");
        assertThat(d.path("policyVersions").asText()).isEqualTo(g.policyVersions().orElseThrow());
        assertThat(d.path("report").asText()).isEqualTo("/api/v1/repositories/unscanned/acme/alpine/images/"
                + g.digest());
        assertThat(d.path("summary").path("rejectedRules")).isEmpty();
        int findings = g.subject().orElseThrow().findings().size();
        int counted = 0;
        for (String sev : List.of("critical", "high", "medium", "low", "unknown")) {
            counted += d.path("summary").path("findings").path(sev).asInt(-1);
        }
        assertThat(counted).isEqualTo(findings);
        EventOutbox.Event completed = events.get(2);
        assertThat(completed.data().path("summary")).isEqualTo(d.path("summary"));
        assertThat(completed.data().path("databaseSnapshot").asText()).isEqualTo(g.databaseSnapshot().orElseThrow());
        // the report path is the image's gate view on this server
        HttpResponse<String> view = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + host + d.path("report").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
    }

    @Test
    void anExceptionWritesGrantedAndTheRejudgedImagesPromotion() throws Exception {
        GateImage rejected = push("java-app", "unscanned/beta/java");
        assertThat(rejected.state()).isEqualTo(ImageState.REJECTED);
        EventOutbox.Event verdict = eventsOf(rejected).getLast();
        assertThat(verdict.type()).isEqualTo(EventType.IMAGE_REJECTED.id());
        Set<String> rules = new LinkedHashSet<>();
        Set<String> advisories = new LinkedHashSet<>();
        for (Reason r : rejected.verdict().orElseThrow().rejections()) {
            rules.add(r.rule());
            advisories.add(r.item());
        }
        assertThat(verdict.data().path("summary").path("rejectedRules")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(rules);

        long before = all().getLast().id();
        List<String> ids = new ArrayList<>();
        for (String advisory : advisories) {
            ids.add(gate().grantException(new ExceptionRequest(advisory, ExceptionGrant.Scope.team("beta"), null,
                    "accepted for the events test", "SEC-7", Instant.now().plus(Duration.ofDays(5))),
                    Principal.dev(), CTX).id());
        }
        List<EventOutbox.Event> after = gate().events(before, 1000, Optional.empty(), Optional.empty());
        assertThat(after).filteredOn(e -> e.type().equals(EventType.EXCEPTION_GRANTED.id()))
                .extracting(e -> e.data().path("exception").path("id").asText()).containsExactlyElementsOf(ids);
        assertThat(after).filteredOn(e -> e.type().equals(EventType.EXCEPTION_GRANTED.id()))
                .allSatisfy(e -> assertThat(e.team()).isEqualTo("beta"));
        List<EventOutbox.Event> promoted = after.stream().filter(e -> e.type().equals(EventType.IMAGE_PROMOTED.id())
                && e.digest().equals(Optional.of(rejected.digest()))).toList();
        assertThat(promoted).hasSize(1);
        assertThat(promoted.getFirst().data().path("cause").asText()).isEqualTo("exception " + ids.getLast()
                + " granted");
        assertThat(promoted.getFirst().data().path("summary").path("exceptionsUsed").asInt()).isPositive();
        assertThat(promoted.getFirst().team()).isEqualTo("beta");
        assertThat(promoted.getFirst().tag()).hasValue("1");
        // the event of the last grant comes before the promotion it caused
        assertThat(after.indexOf(promoted.getFirst())).isGreaterThan(after.indexOf(after.stream()
                .filter(e -> e.data().path("exception").path("id").asText().equals(ids.getLast())).findFirst()
                .orElseThrow()));

        long last = all().getLast().id();
        gate().revokeException(ids.getFirst(), Principal.dev(), CTX);
        List<EventOutbox.Event> revoked = gate().events(last, 1000, Optional.empty(), Optional.empty());
        assertThat(revoked.getFirst().type()).isEqualTo(EventType.EXCEPTION_REVOKED.id());
        assertThat(revoked).extracting(EventOutbox.Event::type).contains(EventType.IMAGE_REJECTED.id());
    }

    @Test
    void aChangeTheGateRefusesWritesNoEventAndOneItMakesWritesOne() {
        long before = all().isEmpty() ? 0 : all().getLast().id();
        PolicyDocument current = gate().policy(Owner.organisation()).orElseThrow().document();
        assertThatThrownBy(() -> gate().applyPolicy(current, Principal.dev(), CTX)).isInstanceOf(GateException.class);
        assertThat(gate().events(before, 1000, Optional.of(EventType.POLICY_CHANGED), Optional.empty())).isEmpty();

        String team = "owner:\n  team: gamma\nversion: 1\nrules:\n  - name: no-alpine\n    resource: image\n"
                + "    condition: image.os.name == \"alpine\"\n    action: warn\n    message: prefer distroless\n";
        gate().applyPolicy(PolicyDocuments.parse(team, "test"), Principal.dev(), CTX);
        List<EventOutbox.Event> changed = gate().events(before, 1000, Optional.of(EventType.POLICY_CHANGED),
                Optional.empty());
        assertThat(changed).hasSize(1);
        assertThat(changed.getFirst().team()).isEqualTo("gamma");
        assertThat(changed.getFirst().data().path("owner").asText()).isEqualTo("team:gamma");
        assertThat(changed.getFirst().data().path("version").asInt()).isEqualTo(1);
    }

    private static boolean skopeoAvailable() {
        try {
            Process p = new ProcessBuilder("skopeo", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("skopeo finished: " + command).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
