package dev.portcullis.scanner.lang.rust;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsers of untrusted files on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal
 * build replays the seeds in {@code CargoLockFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class CargoLockFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void cargoLock(byte[] input) throws Exception {
        parsesOrRejects(() -> CargoLock.parse(input));
    }
}
