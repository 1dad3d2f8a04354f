package dev.portcullis.scanner.lang.php;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code ComposerFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class ComposerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void installedJson(byte[] input) throws Exception {
        parsesOrRejects(() -> Composer.installed(input));
    }

    @FuzzTest(maxDuration = "30s")
    void composerLock(byte[] input) throws Exception {
        parsesOrRejects(() -> Composer.lock(input));
    }
}
