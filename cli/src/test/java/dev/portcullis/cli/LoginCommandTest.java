package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis login} against a real TLS server whose certificate a private CA signed. */
class LoginCommandTest {
    private static final String PASSWORD = "a long admin password";

    @TempDir
    Path tmp;

    private static synchronized ScanCommandTest.Run login(String... args) {
        InputStream oldIn = System.in;
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return ScanCommandTest.run(args);
        } finally {
            System.setIn(oldIn);
        }
    }

    @Test
    void aPrivateCaIsTrustedWithCaCertAndABareHostMeansHttps() throws Exception {
        TlsFiles tls = TlsFiles.create(tmp);
        ServerConfig config = ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(tmp.resolve("data"))
                .withSecurity(new ServerConfig.Security(Optional.of(tls.cert()), Optional.of(tls.key()), false,
                        Optional.empty(), Duration.ofMinutes(5)));
        try (PortcullisServer server = new PortcullisServer(config, Clock.systemUTC())) {
            server.bootstrapAdmin(Optional.of(PASSWORD));
            server.start();
            String hostPort = "127.0.0.1:" + server.port();
            String authFile = tmp.resolve("config.json").toString();

            ScanCommandTest.Run untrusted = login("login", "https://" + hostPort, "-u", "admin", "--password-stdin",
                    "--auth-file", authFile);
            assertThat(untrusted.exit()).isNotZero();
            assertThat(untrusted.err()).contains("--ca-cert FILE").doesNotContain("PKIX path building failed")
                    .doesNotContain("\tat ");

            ScanCommandTest.Run trusted = login("login", "https://" + hostPort, "-u", "admin", "--password-stdin",
                    "--auth-file", authFile, "--ca-cert", tls.caCert().toString());
            assertThat(trusted.exit()).as(trusted.err()).isZero();
            assertThat(trusted.out()).contains("Login Succeeded");

            ScanCommandTest.Run bare = login("login", hostPort, "-u", "admin", "--password-stdin", "--auth-file",
                    authFile, "--ca-cert", tls.caCert().toString());
            assertThat(bare.exit()).as(bare.err()).isZero();
            assertThat(Files.readString(Path.of(authFile))).contains(hostPort);

            ScanCommandTest.Run teams = ScanCommandTest.run("audit", "query", "--server", hostPort, "--auth-file",
                    authFile, "--ca-cert", tls.caCert().toString(), "--action", "auth.");
            assertThat(teams.exit()).as(teams.err()).isZero();
            assertThat(teams.out()).contains("auth.login");
        }
    }

    @Test
    void aUrlThatIsNoServerUrlIsOneClearLine() {
        ScanCommandTest.Run r = login("login", "ftp://127.0.0.1:5443", "-u", "admin", "--password-stdin");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("https://HOST[:PORT]").doesNotContain("URISyntaxException");
        ScanCommandTest.Run path = login("login", "127.0.0.1:5443/v2", "-u", "admin", "--password-stdin");
        assertThat(path.exit()).isEqualTo(2);
        assertThat(path.err()).contains("no path");
    }
}
