package dev.portcullis.scanner.lang.dotnet;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code DotnetParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class DotnetParsersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void depsJson(byte[] input) throws Exception {
        parsesOrRejects(() -> DotnetPackages.depsJson(input));
    }

    @FuzzTest(maxDuration = "30s")
    void packagesLock(byte[] input) throws Exception {
        parsesOrRejects(() -> DotnetPackages.packagesLock(input));
    }
}
