package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.auth.Auth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administration story end to end with the real jar: first start prints a generated admin password once;
 * {@code login} stores a refresh token (not the password); {@code admin … --server} works through the API and
 * {@code admin … --data} on the database; a robot's secret is the last line printed and works at the token
 * endpoint; {@code audit verify} passes on the live log and on an export, and names rows edited and deleted
 * behind its back.
 */
class AdminCliIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Pattern GENERATED = Pattern.compile("user 'admin', password (\\S+)");

    @TempDir
    Path work;

    /** Output and exit code of one in-process command. */
    private record Result(int exit, String out, String err) {
        String lastLine() {
            List<String> lines = out.strip().lines().toList();
            return lines.getLast();
        }
    }

    private static synchronized Result cli(String stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            int exit = Main.run(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    @Test
    void administrationThroughTheApiAndTheDatabase() throws Exception {
        Path jar = Path.of("target/portcullis.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/portcullis.jar not built (the IT runs after package)");
        Path data = work.resolve("data");
        Path log = work.resolve("server.log");
        Path authFile = work.resolve("config.json");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", jar.toString(), "serve", "--behind-proxy", "--data", data.toString(), "--listen",
                "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("PORTCULLIS_ADMIN_PASSWORD");
        Process server = pb.start();
        try {
            awaitReady(server, url, log);
            Matcher m = GENERATED.matcher(Files.readString(log));
            assertThat(m.find()).as(Files.readString(log)).isTrue();
            String adminPassword = m.group(1);
            assertThat(Files.readString(log)).containsOnlyOnce(adminPassword);

            Result login = cli(adminPassword, "login", url, "-u", "admin", "--password-stdin", "--auth-file",
                    authFile.toString());
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).contains("Login Succeeded");
            assertThat(Files.readString(authFile)).contains("identitytoken").doesNotContain(adminPassword);

            String[] remote = {"--server", url, "--auth-file", authFile.toString()};
            assertThat(cli(null, concat(new String[] {"admin", "team", "add", "acme"}, remote)).exit()).isZero();
            Result user = cli("alice's long password", concat(new String[] {"admin", "user", "add", "alice",
                    "--team", "acme", "--role", "developer", "--password-stdin"}, remote));
            assertThat(user.exit()).as(user.err()).isZero();
            Result robot = cli(null, concat(new String[] {"admin", "robot", "add", "ci", "--team", "acme", "--role",
                    "developer"}, remote));
            assertThat(robot.exit()).as(robot.err()).isZero();
            String secret = robot.lastLine();
            assertThat(secret).startsWith("pcr_");
            HttpResponse<String> token = CLIENT.send(HttpRequest.newBuilder(URI.create(url
                    + "/token?service=portcullis&scope=repository:unscanned/acme/app:pull,push"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("acme+ci:" + secret)
                            .getBytes(StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            Result grant = cli(null, concat(new String[] {"admin", "user", "grant", "alice", "--team", "acme",
                    "--role", "maintainer"}, remote));
            assertThat(grant.exit()).as(grant.err()).isZero();
            Result weak = cli("short", concat(new String[] {"admin", "user", "add", "bob", "--password-stdin"},
                    remote));
            assertThat(weak.exit()).isEqualTo(1);
            assertThat(weak.err()).contains("at least 12 characters");

            Result gc = cli(null, concat(new String[] {"admin", "gc", "--dry-run", "--grace", "0s"}, remote));
            assertThat(gc.exit()).as(gc.err()).isZero();
            assertThat(gc.out()).contains("would remove 0 of 0 blobs older than 0s");
            Result badGrace = cli(null, concat(new String[] {"admin", "gc", "--grace", "soon"}, remote));
            assertThat(badGrace.exit()).isEqualTo(2);
            assertThat(badGrace.err()).contains("--grace").contains("'soon'");
            Result gcAudited = cli(null, concat(new String[] {"audit", "query", "--action", "registry.gc"}, remote));
            assertThat(gcAudited.out()).contains("registry.gc");

            Result query = cli(null, concat(new String[] {"audit", "query", "--action", "admin"}, remote));
            assertThat(query.out()).contains("admin.team.create").contains("admin.robot.create")
                    .doesNotContain(secret);
            Result liveVerify = cli(null, concat(new String[] {"audit", "verify"}, remote));
            assertThat(liveVerify.exit()).as(liveVerify.out() + liveVerify.err()).isZero();
            assertThat(liveVerify.out()).contains("intact").contains("signatures checked");
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        // garbage collection runs in the server only, so the command does not offer --data at all
        Result localGc = cli(null, "admin", "gc", "--data", data.toString());
        assertThat(localGc.exit()).isEqualTo(2);
        assertThat(localGc.err()).contains("Missing required option: '--server=URL'");
        Result local = cli(null, "admin", "team", "add", "other", "--data", data.toString());
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(cli(null, "admin", "user", "revoke", "alice", "--team", "acme", "--role", "maintainer", "--data",
                data.toString()).exit()).isZero();
        assertThat(cli(null, "admin", "robot", "delete", "acme+ci", "--data", data.toString()).exit()).isZero();
        Result roleChanges = cli(null, "audit", "query", "--data", data.toString(), "--action", "admin.role");
        assertThat(roleChanges.out()).contains("admin.role.grant").contains("admin.role.revoke");
        Path export = work.resolve("audit.jsonl");
        assertThat(cli(null, "audit", "export", "--data", data.toString(), "-o", export.toString()).exit()).isZero();
        Path publicKey = work.resolve("audit-key.json");
        Files.writeString(publicKey, ECKey.parse(Files.readString(Auth.checkpointKeyFile(data))).toPublicJWK()
                .toJSONString());
        Result offline = cli(null, "audit", "verify", "--file", export.toString(), "--public-key",
                publicKey.toString());
        assertThat(offline.exit()).as(offline.out()).isZero();
        assertThat(offline.out()).contains("intact").contains("signatures checked");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("portcullis.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 3");
            st.executeUpdate("DELETE FROM audit_entry WHERE seq = 5");
        }
        Result tampered = cli(null, "audit", "verify", "--data", data.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("edited 3: entry 3 was edited").contains("removed 5: entry 5 was removed")
                .contains("TAMPERED");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void awaitReady(Process p, String url, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("server exited early:\n" + Files.readString(log)).isTrue();
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("server not ready within 60 s:\n" + Files.readString(log));
    }
}
