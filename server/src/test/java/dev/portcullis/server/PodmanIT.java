package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman login and push through the token flow (rootful podman with the vfs driver in a private store). */
class PodmanIT {
    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run podman(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--storage-driver", "vfs", "--root",
                dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("podman finished: " + command).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static boolean podmanAvailable() {
        try {
            Process p = new ProcessBuilder("podman", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void loginAndPush() throws Exception {
        Assumptions.assumeTrue(podmanAvailable(), "podman is not installed (apt-get install podman; .ci/run does)");
        Path layout = Corpus.image("alpine-3.10.3").resolve("oci");
        JsonNode index = Json.parse(Files.readAllBytes(layout.resolve("index.json")));
        String ref = index.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name")
                .asText();
        try (AuthTestServer s = new AuthTestServer(dir.resolve("data"))) {
            s.team("acme");
            s.user("dev", Grant.inTeam("acme", Role.DEVELOPER));
            String host = "127.0.0.1:" + s.server.port();
            Run wrong = podman("not the password", "login", "--tls-verify=false", "-u", "dev", "--password-stdin",
                    host);
            assertThat(wrong.exit()).isNotZero();
            Run login = podman(AuthTestServer.PASSWORD, "login", "--tls-verify=false", "-u", "dev",
                    "--password-stdin", host);
            assertThat(login.exit()).as(login.output()).isZero();
            Run pull = podman(null, "pull", "-q", "oci:" + layout + ":" + ref);
            assertThat(pull.exit()).as(pull.output()).isZero();
            String image = pull.output().strip().lines().toList().getLast();
            Run push = podman(null, "push", "--tls-verify=false", image, "docker://" + host
                    + "/unscanned/acme/alpine:podman");
            assertThat(push.exit()).as(push.output()).isZero();
            assertThat(s.server.registry().tags(dev.portcullis.registry.Registry.name("unscanned/acme/alpine"),
                    java.util.Optional.empty(), 10)).containsExactly("podman");
            Run denied = podman(null, "push", "--tls-verify=false", image, "docker://" + host
                    + "/scanned/acme/alpine:podman");
            assertThat(denied.exit()).isNotZero();
            assertThat(denied.output()).containsAnyOf("denied", "403");
        }
    }
}
