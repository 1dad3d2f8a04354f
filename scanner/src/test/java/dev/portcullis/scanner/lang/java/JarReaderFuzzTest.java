package dev.portcullis.scanner.lang.java;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The jar reader on arbitrary bytes ({@link dev.portcullis.scanner.lang.testing.Fuzz}). A normal build replays
 * the seeds in {@code JarReaderFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class JarReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsOrRejects(byte[] input) throws Exception {
        parsesOrRejects(() -> JarReader.read("fuzz.jar", input).forEach(MavenCoordinates::of));
    }
}
