package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
