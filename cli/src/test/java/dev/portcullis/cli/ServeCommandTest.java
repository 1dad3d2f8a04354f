package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.ConfigKey;
import dev.portcullis.server.ConfigKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
                    .contains("in use").doesNotContain("\tat ");
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
}
