package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void versionPrintsProjectVersion() {
        PrintStream old = System.out;
        var out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("--version")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("portcullis 0.");
    }

    @Test
    void unknownOptionIsUsageError() {
        assertThat(Main.run("--no-such-option")).isEqualTo(2);
    }

    @Test
    void aFailureNoCommandHandledIsOneLineNotAStackTrace() {
        PrintStream old = System.err;
        var err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run("audit", "verify", "--file", "/nonexistent/audit.jsonl", "--public-key",
                    "/nonexistent/key.json");
        } finally {
            System.setErr(old);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("portcullis: no such file: /nonexistent/audit.jsonl"
                + System.lineSeparator());
    }
}
