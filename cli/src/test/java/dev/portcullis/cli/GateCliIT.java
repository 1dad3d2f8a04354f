package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.registry.Registry;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's commands run for real against a real server in --dev mode (no vulnerability database imported, so the
 * default policy rejects every image for it): check with its exit codes and formats, policy validate/show/dry-run,
 * exception add/list/revoke, and break-glass letting a rejected image through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateCliIT {
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

    private Path work;
    private PortcullisServer server;
    private String url;
    private Digest digest;

    /** Output and exit code of one in-process command. */
    private record Result(int exit, String out, String err) {
    }

    private static synchronized Result cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        work = dir;
        server = new PortcullisServer(ServerConfig.defaults().withListen("127.0.0.1", 0)
                .withDataDir(work.resolve("data")).withDev(true).withShutdownTimeout(Duration.ofSeconds(20)),
                Clock.systemUTC());
        server.start();
        url = "http://127.0.0.1:" + server.port();
        digest = push("unscanned/acme/app", "1.2", CONFIG);
    }

    private Digest push(String repository, String tag, String configJson) {
        byte[] config = configJson.getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Registry registry = server.registry();
        registry.putBlob(Registry.name(repository), c.toString(), new ByteArrayInputStream(config));
        registry.putManifest(Registry.name(repository), tag, "application/vnd.oci.image.manifest.v1+json", manifest);
        return Digest.sha256(manifest);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void checkExplainsARejectionAndExitsByVerdict() {
        Result r = cli("check", "unscanned/acme/app:1.2", "--server", url, "--wait", "--timeout", "2m");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("REJECTED").contains("stale-vulnerability-database")
                .contains(digest.toString()).contains("/report.html");

        Result json = cli("check", "unscanned/acme/app@" + digest, "--server", url, "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode report = Json.parse(json.out().getBytes(StandardCharsets.UTF_8));
        assertThat(report.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(report.path("verdict").path("decision").asText()).isEqualTo("reject");

        Result junit = cli("check", "unscanned/acme/app:1.2", "--server", url, "--format", "junit");
        assertThat(junit.out()).startsWith("<?xml").contains("<failure");
        Result sarif = cli("check", "unscanned/acme/app:1.2", "--server", url, "--format", "sarif");
        assertThat(Json.parse(sarif.out().getBytes(StandardCharsets.UTF_8)).path("version").asText())
                .isEqualTo("2.1.0");

        Result unknown = cli("check", "unscanned/acme/app:9.9", "--server", url);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unscanned/acme/app:9.9");
        assertThat(cli("check", "not a ref", "--server", url).exit()).isEqualTo(2);
        assertThat(cli("check", "unscanned/acme/app:1.2", "--server", url, "--format", "pdf").exit()).isEqualTo(2);
    }

    @Test
    void policyValidateNamesPositionsAndShowRoundTrips() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  - name: [unclosed\n");
        Result r = cli("policy", "validate", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).containsPattern("bad\\.yaml:\\d+:\\d+: ");

        Path typo = work.resolve("typo.yaml");
        Files.writeString(typo, "owner: organisation\nversion: 2\nrules:\n  - name: r\n    resource: vulnerability\n"
                + "    condition: finding.severty >= HIGH\n    action: reject\n    message: m\n");
        Result cel = cli("policy", "validate", typo.toString());
        assertThat(cel.exit()).isEqualTo(1);
        assertThat(cel.err()).containsPattern("typo\\.yaml:6:\\d+: ");

        Result show = cli("policy", "show", "--server", url);
        assertThat(show.exit()).as(show.err()).isZero();
        Path current = work.resolve("current.yaml");
        Files.writeString(current, show.out());
        assertThat(cli("policy", "validate", current.toString()).exit()).isZero();
        assertThat(PolicyDocuments.parse(show.out(), "shown").owner().isOrganisation()).isTrue();

        Result dry = cli("policy", "dry-run", current.toString(), "--server", url);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("verdict(s) would change");
        Result dryJson = cli("policy", "dry-run", current.toString(), "--server", url, "--format", "json");
        assertThat(Json.parse(dryJson.out().getBytes(StandardCharsets.UTF_8)).has("teams")).isTrue();

        Result history = cli("policy", "history", "--server", url);
        assertThat(history.exit()).isZero();
        assertThat(history.out()).contains("VERSION");
    }

    @Test
    void exceptionsAreAddedListedAndRevoked() {
        String expires = LocalDate.now(ZoneOffset.UTC).plusDays(5).toString();
        Result add = cli("exception", "add", "--server", url, "--team", "acme", "--advisory", "CVE-2024-1234",
                "--expires", expires, "--reason", "not reachable: no XML input", "--ticket", "https://tracker/SEC-12");
        assertThat(add.exit()).as(add.err()).isZero();
        String id = add.out().split("\\s+")[1];
        assertThat(cli("exception", "list", "--server", url).out()).contains(id).contains("CVE-2024-1234");
        assertThat(cli("exception", "revoke", id, "--server", url).exit()).isZero();
        assertThat(cli("exception", "list", "--server", url).out()).doesNotContain(id);

        Result tooLong = cli("exception", "add", "--server", url, "--team", "acme", "--advisory", "CVE-2024-1234",
                "--expires", "2099-01-31", "--reason", "r", "--ticket", "t");
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.err()).contains("at most");
        assertThat(cli("exception", "add", "--server", url, "--advisory", "CVE-1", "--expires", expires,
                "--reason", "r", "--ticket", "t").exit()).isEqualTo(2);
    }

    @Test
    void breakGlassLetsTheRejectedDigestThrough() {
        Digest glassed = push("unscanned/acme/glass", "1", CONFIG.replace("\"config\":{}",
                "\"config\":{\"Labels\":{\"case\":\"glass\"}}"));
        assertThat(cli("check", "unscanned/acme/glass:1", "--server", url, "--wait", "--timeout", "2m").exit())
                .isEqualTo(1);
        Result glass = cli("break-glass", "grant", "unscanned/acme/glass@" + glassed, "--server", url, "--reason",
                "incident 42", "--ticket", "SEC-42", "--duration", "1h");
        assertThat(glass.exit()).as(glass.err()).isZero();
        Result check = cli("check", "unscanned/acme/glass@" + glassed, "--server", url, "--wait", "--timeout", "1m");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("break-glass");
        Result list = cli("break-glass", "list", "--server", url);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(glassed.toString()).contains("SEC-42").contains("incident 42");
    }
}
