package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/events} on a server with authentication: the outbox oldest first with a cursor, filtered by
 * type, narrowed to the caller's teams (a developer of acme sees acme's events only; security sees every team's),
 * and a 400 JSON error naming the parameter for wrong input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsApiIT {
    private AuthTestServer s;
    private AuthTestServer.Creds security;
    private AuthTestServer.Creds developer;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        // no timed audit checkpoint (an audit.checkpoint event) lands between the pages this test compares
        s = new AuthTestServer(dir, c -> {
            ServerConfig.Protection p = c.protection();
            return c.withProtection(new ServerConfig.Protection(p.trustedProxies(), p.uploadsPerClient(),
                    p.minUploadRate(), p.uploadRateGrace(), p.auditCheckpointEvery(), Duration.ofDays(1)));
        });
        s.team("acme");
        s.team("other");
        s.user("sec", Grant.global(Role.SECURITY));
        s.user("dev", Grant.inTeam("acme", Role.DEVELOPER));
        security = AuthTestServer.Creds.refresh(s.login("sec", AuthTestServer.PASSWORD));
        developer = AuthTestServer.Creds.refresh(s.login("dev", AuthTestServer.PASSWORD));
        // the test server put one image in each team's unscanned/ repository: wait until the gate judged both
        for (String repo : List.of("unscanned/acme/app", "unscanned/other/app")) {
            assertThat(s.server.gate().awaitVerdict(RepositoryName.of(repo), "v1", Duration.ofMinutes(2))
                    .orElseThrow().state().isFinal()).as(repo).isTrue();
        }
    }

    @AfterAll
    void stop() throws Exception {
        s.close();
    }

    private JsonNode get(AuthTestServer.Creds c, String query) throws Exception {
        HttpResponse<String> r = s.call(c, "GET", "/api/v1/events" + query, Optional.empty(), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(JsonNode page, String field) {
        List<String> out = new ArrayList<>();
        page.path("events").forEach(e -> out.add(e.path(field).asText()));
        return out;
    }

    @Test
    void securitySeesEveryTeamsEventsOldestFirstAndPagesWithTheCursor() throws Exception {
        JsonNode all = get(security, "");
        assertThat(values(all, "team")).contains("acme", "other");
        assertThat(values(all, "type")).contains("image.pushed", "scan.started", "scan.completed");
        List<Long> ids = all.path("events").findValues("id").stream().map(JsonNode::asLong).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(all.path("next").asLong()).isEqualTo(ids.getLast());

        List<Long> paged = new ArrayList<>();
        long after = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode page = get(security, "?limit=1&after=" + after);
            assertThat(page.path("events")).hasSize(1);
            after = page.path("next").asLong();
            paged.add(after);
        }
        assertThat(paged).isEqualTo(ids);
        JsonNode end = get(security, "?after=" + after);
        assertThat(end.path("events")).isEmpty();
        assertThat(end.path("next").asLong()).isEqualTo(after);

        JsonNode pushed = get(security, "?type=image.pushed");
        assertThat(values(pushed, "type")).isNotEmpty().containsOnly("image.pushed");
        assertThat(values(pushed, "repository")).contains("unscanned/acme/app", "unscanned/other/app");
        JsonNode first = pushed.path("events").get(0);
        assertThat(first.path("digest").asText()).isEqualTo(s.manifestDigest);
        assertThat(first.path("tag").asText()).isEqualTo("v1");
        assertThat(first.path("time").asText()).isNotBlank();
    }

    @Test
    void aTeamsDeveloperSeesOnlyItsTeamsEvents() throws Exception {
        JsonNode mine = get(developer, "");
        assertThat(values(mine, "team")).isNotEmpty().containsOnly("acme");
        assertThat(values(mine, "repository")).containsOnly("unscanned/acme/app");
        JsonNode verdicts = get(developer, "?type=scan.completed");
        assertThat(verdicts.path("events")).hasSize(1);
        assertThat(verdicts.path("events").get(0).path("data").path("report").asText())
                .isEqualTo("/api/v1/repositories/unscanned/acme/app/images/" + s.manifestDigest);
    }

    @Test
    void wrongParametersAreJsonErrorsNamingTheParameter() throws Exception {
        for (Map.Entry<String, String> bad : Map.of("after=-1", "after", "after=abc", "after", "limit=0", "limit",
                "limit=1001", "limit", "limit=ten", "limit", "type=image.painted", "type").entrySet()) {
            HttpResponse<String> r = s.call(security, "GET", "/api/v1/events?" + bad.getKey(), Optional.empty(),
                    "application/json");
            assertThat(r.statusCode()).as(bad.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            JsonNode error = Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("errors").get(0);
            assertThat(error.path("code").asText()).isEqualTo("INVALID");
            assertThat(error.toString()).as(bad.getKey()).contains(bad.getValue());
        }
    }
}
