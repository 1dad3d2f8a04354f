package dev.portcullis.scanner.lang.python;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code PythonParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class PythonParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void coreMetadata(byte[] input) throws Exception {
        parsesOrRejects(() -> CoreMetadata.parse(input));
    }

    @FuzzTest(maxDuration = "30s")
    void requirements(byte[] input) throws Exception {
        parsesOrRejects(() -> Requirements.parse(input));
    }

    @FuzzTest(maxDuration = "30s")
    void poetryLock(byte[] input) throws Exception {
        parsesOrRejects(() -> PythonLockfiles.poetry(input));
    }

    @FuzzTest(maxDuration = "30s")
    void pipfileLock(byte[] input) throws Exception {
        parsesOrRejects(() -> PythonLockfiles.pipfile(input));
    }
}
