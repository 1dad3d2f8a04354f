package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.MediaType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Development and production behave the same for names: every write a developer of team {@code acme} is refused in
 * secure mode is refused in {@code --dev} with the same status, code and message, and the write to their own
 * unscanned/ repository passes in both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevModeNamesIT {
    @TempDir
    static Path dir;
    private AuthTestServer secure;
    private AuthTestServer.Creds developer;
    private TestServer dev;

    @BeforeAll
    void start() throws Exception {
        secure = new AuthTestServer(dir);
        secure.team("acme");
        secure.user("dana", Grant.inTeam("acme", Role.DEVELOPER));
        developer = AuthTestServer.Creds.refresh(secure.login("dana", AuthTestServer.PASSWORD));
        dev = TestServer.start();
    }

    @AfterAll
    void stop() throws Exception {
        dev.close();
        secure.close();
    }

    /** A write: method, repository, the rest of the path and whether it sends the test manifest. */
    record Write(String method, String repository, String rest, boolean manifest) {
        String path() {
            return "/v2/" + repository + rest;
        }

        @Override
        public String toString() {
            return method + " " + path();
        }
    }

    List<Write> refused() {
        String blob = "sha256:" + "0".repeat(64);
        List<Write> writes = new java.util.ArrayList<>();
        for (String repo : List.of("foo/bar", "library/app", "scanned/t/r", "scanned/acme/app", "unscanned/acme",
                "app")) {
            writes.add(new Write("POST", repo, "/blobs/uploads/", false));
            writes.add(new Write("PUT", repo, "/manifests/v1", true));
            writes.add(new Write("DELETE", repo, "/manifests/v1", false));
            writes.add(new Write("DELETE", repo, "/blobs/" + blob, false));
        }
        return writes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAlikeInBothModes(Write write) throws Exception {
        HttpResponse<String> secured = secure(write);
        HttpResponse<byte[]> developed = dev(write);
        assertThat(secured.statusCode()).as(secured.body()).isEqualTo(403);
        assertThat(secured.body()).contains("\"DENIED\"", "quarantine");
        assertThat(developed.statusCode()).isEqualTo(secured.statusCode());
        assertThat(new String(developed.body(), StandardCharsets.UTF_8)).isEqualTo(secured.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void nothingWasStored(Write write) {
        assertThat(dev.http().get("/v2/" + write.repository() + "/tags/list").statusCode()).isEqualTo(404);
    }

    @org.junit.jupiter.api.Test
    void ownQuarantineIsWrittenInBothModes() throws Exception {
        Write push = new Write("PUT", "unscanned/acme/names", "/manifests/v1", true);
        // The config blob the manifest names must be there first, in each server.
        byte[] config = AuthTestServer.CONFIG.getBytes(StandardCharsets.UTF_8);
        Write blob = new Write("POST", "unscanned/acme/names", "/blobs/uploads/?digest=" + secure.configDigest,
                false);
        assertThat(secure.call(developer, blob.method(), blob.path(), Optional.of(config),
                "application/octet-stream").statusCode()).isEqualTo(201);
        assertThat(dev.http().send(blob.method(), blob.path(), config).statusCode()).isEqualTo(201);
        assertThat(secure(push).statusCode()).isEqualTo(201);
        assertThat(dev(push).statusCode()).isEqualTo(201);
    }

    private HttpResponse<String> secure(Write w) throws Exception {
        return secure.call(developer, w.method(), w.path(), w.manifest() ? Optional.of(secure.manifest)
                : Optional.empty(), MediaType.OCI_MANIFEST);
    }

    private HttpResponse<byte[]> dev(Write w) {
        return w.manifest() ? dev.http().send(w.method(), w.path(), secure.manifest, "Content-Type",
                MediaType.OCI_MANIFEST) : dev.http().send(w.method(), w.path(), null);
    }
}
