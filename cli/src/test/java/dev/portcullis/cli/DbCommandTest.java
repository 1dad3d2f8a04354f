package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis db ...} end to end on the corpus feeds, with two data directories for the offline bundle. */
class DbCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void importsTheWholeFeedTreeShowsStatusAndMovesItOffline() {
        String online = tmp.resolve("online").toString();
        Run imported = run("db", "import", Corpus.feeds().toString(), "--data", online);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("osv:GHSA", "osv:GO", "osv:PYSEC", "debian-tracker",
                "alpine-secdb:v3.10/main", "legacy Node Security WG advisory");
        // a hundred documents skipped for one reason are one line with a few examples, not a hundred lines
        assertThat(imported.out()).containsPattern("\\d+ x per-entry Debian tracker record")
                .containsPattern("and \\d+ more");
        assertThat(imported.out().lines().filter(l -> l.contains("per-entry Debian tracker record")).count())
                .isEqualTo(1);

        Run status = run("db", "status", "--data", online);
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("osv:GHSA", "37", "LAST IMPORT");

        Path bundle = tmp.resolve("db.bundle");
        assertThat(run("db", "export-bundle", bundle.toString(), "--data", online).code()).isZero();

        String offline = tmp.resolve("offline").toString();
        Run untrusted = run("db", "import", bundle.toString(), "--data", offline);
        assertThat(untrusted.code()).isEqualTo(1);
        assertThat(untrusted.err()).contains("no trusted bundle key");
        Run trusted = run("db", "import", bundle.toString(), "--data", offline,
                "--trusted-key", tmp.resolve("online/keys/bundle-signing.pub").toString());
        assertThat(trusted.code()).as(trusted.err()).isZero();
        assertThat(run("db", "status", "--data", offline).out()).contains("osv:GHSA", "via bundle");
    }

    @Test
    void missingPathFailsWithOneClearMessage() {
        Run r = run("db", "import", tmp.resolve("nope").toString(), "--data", tmp.resolve("d").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no such file or directory");
    }

    @Test
    void statusOfAMistypedDataDirectoryFailsAndCreatesNothing() {
        Path typo = tmp.resolve("dta");
        Run r = run("db", "status", "--data", typo.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no Portcullis database in " + typo.toAbsolutePath());
        assertThat(typo).doesNotExist();
    }
}
