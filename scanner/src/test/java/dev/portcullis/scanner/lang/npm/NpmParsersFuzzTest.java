package dev.portcullis.scanner.lang.npm;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code NpmParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class NpmParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void packageLock(byte[] input) throws Exception {
        parsesOrRejects(() -> PackageLock.parse(input));
    }

    @FuzzTest(maxDuration = "30s")
    void yarnLock(byte[] input) throws Exception {
        parsesOrRejects(() -> YarnLock.parse(input));
    }

    @FuzzTest(maxDuration = "30s")
    void pnpmLock(byte[] input) throws Exception {
        parsesOrRejects(() -> PnpmLock.parse(input));
    }
}
