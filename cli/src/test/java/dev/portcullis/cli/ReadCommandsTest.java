package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that only read never create what they were to read, and their own help's examples work. */
class ReadCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void auditOfAMissingDataDirectoryFailsAndCreatesNothing() {
        Path missing = tmp.resolve("no/such/dir");
        for (String sub : new String[] {"verify", "query", "export"}) {
            ScanCommandTest.Run r = ScanCommandTest.run("audit", sub, "--data", missing.toString());
            assertThat(r.exit()).as(sub).isEqualTo(2);
            assertThat(r.err()).as(sub).contains("no Portcullis database in " + missing.toAbsolutePath())
                    .contains("no such directory");
            assertThat(r.out()).as(sub).doesNotContain("intact");
        }
        assertThat(tmp.resolve("no")).doesNotExist();
    }

    @Test
    void auditQueryByActionPrefixFindsTheAuthEntries() {
        Path data = tmp.resolve("data");
        ScanCommandTest.Run team = ScanCommandTest.run("admin", "team", "add", "acme", "--data", data.toString());
        assertThat(team.exit()).as(team.err()).isZero();
        // the example of the option's own help, with its trailing dot, and without it
        for (String prefix : new String[] {"admin.", "admin"}) {
            ScanCommandTest.Run r = ScanCommandTest.run("audit", "query", "--action", prefix, "--data",
                    data.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as(prefix).contains("admin.team.create");
        }
        ScanCommandTest.Run none = ScanCommandTest.run("audit", "query", "--action", "admin.team.", "--data",
                data.toString());
        assertThat(none.out()).contains("admin.team.create");
        ScanCommandTest.Run other = ScanCommandTest.run("audit", "query", "--action", "adm", "--data",
                data.toString());
        assertThat(other.out()).as("a prefix is a whole dotted segment").doesNotContain("admin.team.create");
    }

    @Test
    void gcOffersOnlyWhatItAccepts() {
        ScanCommandTest.Run help = ScanCommandTest.run("admin", "gc", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--server=URL").doesNotContain("--data");
        ScanCommandTest.Run withoutServer = ScanCommandTest.run("admin", "gc");
        assertThat(withoutServer.exit()).isEqualTo(2);
        assertThat(withoutServer.err()).contains("--server");
    }
}
