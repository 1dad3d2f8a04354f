package dev.portcullis.scanner.lang.ruby;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code RubyParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class RubyParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void gemspec(byte[] input) throws Exception {
        parsesOrRejects(() -> RubyGems.gemspec(input));
    }

    @FuzzTest(maxDuration = "30s")
    void gemfileLock(byte[] input) throws Exception {
        parsesOrRejects(() -> RubyGems.gemfileLock(input));
    }
}
