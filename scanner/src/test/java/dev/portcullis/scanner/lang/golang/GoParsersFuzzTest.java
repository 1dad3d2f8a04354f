package dev.portcullis.scanner.lang.golang;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code GoParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class GoParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void buildInfo(byte[] input) throws Exception {
        parsesOrRejects(() -> BuildInfo.read(new ByteArrayInputStream(input), 0));
    }

    @FuzzTest(maxDuration = "30s")
    void goMod(byte[] input) throws Exception {
        parsesOrRejects(() -> GoMod.parse(input));
    }
}
