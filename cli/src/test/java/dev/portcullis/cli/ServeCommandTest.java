package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.ConfigKey;
import dev.portcullis.server.ConfigKeys;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.ServerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis serve} refuses what it cannot do with one line that says why, not a stack trace. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ScanCommandTest.Run r = ScanCommandTest.run("serve", "--dev", "--listen",
                    "127.0.0.1:" + taken.getLocalPort(), "--data", tmp.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("portcullis serve: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("in use").doesNotContain("\tat ").doesNotContain("Portcullis stopped");
        }
    }

    @Test
    void anUnusableDataDirectoryIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        ScanCommandTest.Run r = ScanCommandTest.run("serve", "--dev", "--listen", "127.0.0.1:0", "--data",
                file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("portcullis serve: cannot open the data").contains("not-a-directory")
                .doesNotContain("\tat ");
    }

    @Test
    void theConfigurationFlagsAreThoseOfTheKeyTable() {
        ScanCommandTest.Run r = ScanCommandTest.run("serve", "--help");
        assertThat(r.exit()).isZero();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            key.flag().ifPresent(flag -> assertThat(r.out()).contains(flag).contains(key.env()));
        }
        assertThat(r.out()).contains("--listen=HOST:PORT").contains("--tls-cert=FILE").contains("--behind-proxy")
                .contains("default: 127.0.0.1:5000").contains("--config=FILE");
    }

    @Test
    void aWrongValueNamesTheKeyItsSourceAndTheExpectedForm() throws Exception {
        ScanCommandTest.Run flag = ScanCommandTest.run("serve", "--dev", "--listen", "nowhere", "--data",
                tmp.toString());
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("portcullis serve: listen (from flag --listen): 'nowhere' must be HOST:PORT")
                .doesNotContain("\tat ");

        Path config = Files.writeString(tmp.resolve("portcullis.yaml"), "storage:\n  postgres:\n"
                + "    url: jdbc:postgresql://db/p\n    poolSize: sixteen\n");
        ScanCommandTest.Run file = ScanCommandTest.run("serve", "--dev", "--config", config.toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err()).contains("storage.postgres.poolSize (from config file " + config + "): 'sixteen' is"
                + " not a whole number; expected whole number from 1 to 1000");
    }

    @Test
    void aTlsKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        TlsFiles tls = TlsFiles.create(tmp);
        ScanCommandTest.Run r = ScanCommandTest.run("serve", "--listen", "127.0.0.1:0", "--data",
                tmp.resolve("data").toString(), "--tls-cert", tls.cert().toString(), "--tls-key",
                tls.otherKey().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("portcullis serve: the TLS key " + tls.otherKey() + " does not belong to the"
                + " certificate " + tls.cert()).doesNotContain("\tat ");
    }

    @Test
    void devModeWithTlsDoesNotClaimThereIsNoTls() throws Exception {
        TlsFiles tls = TlsFiles.create(tmp);
        ServerConfig plain = ServerConfig.defaults().withDev(true);
        ServerConfig withTls = plain.withSecurity(new ServerConfig.Security(Optional.of(tls.cert()),
                Optional.of(tls.key()), false, Optional.empty(), Duration.ofMinutes(5)));
        assertThat(ServeCommand.devWarning(plain, 5000)).contains("no authentication and no TLS");
        assertThat(ServeCommand.devWarning(withTls, 5000)).contains("no authentication").doesNotContain("TLS");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsToldWhoHoldsIt() throws Exception {
        Path data = tmp.resolve("data");
        ServerConfig config = ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(data).withDev(true);
        try (PortcullisServer first = new PortcullisServer(config, Clock.systemUTC())) {
            first.start();
            ScanCommandTest.Run second = ScanCommandTest.run("serve", "--dev", "--listen", "127.0.0.1:0", "--data",
                    data.toString());
            assertThat(second.exit()).isEqualTo(2);
            assertThat(second.err()).contains("is in use by another Portcullis server",
                    "pid " + ProcessHandle.current().pid() + " on host").doesNotContain("\tat ");
        }
        // released on stop: the directory serves again
        try (PortcullisServer again = new PortcullisServer(config, Clock.systemUTC())) {
            again.start();
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenNamesThePathAndThePermission() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        if (Files.isWritable(data)) {
            // root ignores permissions; the immutable attribute stops it too, where the file system allows it
            immutable = new ProcessBuilder("chattr", "+i", data.toString()).redirectErrorStream(true).start()
                    .waitFor() == 0;
        }
        try {
            Assumptions.assumeFalse(Files.isWritable(data), "cannot make a directory unwritable for this user");
            ScanCommandTest.Run r = ScanCommandTest.run("serve", "--dev", "--listen", "127.0.0.1:0", "--data",
                    data.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("the data directory " + data.toAbsolutePath() + " is not writable",
                    "permissions r-xr-xr-x", "by user " + System.getProperty("user.name"))
                    .doesNotContain("SQLITE_CANTOPEN").doesNotContain("\tat ");
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", data.toString()).start().waitFor();
            }
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
