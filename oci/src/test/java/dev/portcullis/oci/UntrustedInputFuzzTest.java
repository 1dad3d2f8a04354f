package dev.portcullis.oci;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for everything in this module that reads client input. The only acceptable outcome of bad input is
 * the parser's typed exception. In the normal build these run once per seed in {@code *Inputs/}; run them for real
 * with {@code JAZZER_FUZZ=1} (see {@code bench/fuzz/README.md}).
 */
class UntrustedInputFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void manifest(FuzzedDataProvider data) {
        String contentType = data.pickValue(new String[] {MediaType.OCI_MANIFEST, MediaType.OCI_INDEX,
                MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST, "application/json", ""});
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            Manifest m = ManifestParser.parse(bytes, contentType);
            m.references().forEach(d -> d.digest().toString());
        } catch (ManifestParser.InvalidManifestException expected) {
            // refused with a reason: the contract
        }
    }

    @FuzzTest(maxDuration = "10s")
    void imageConfig(byte[] bytes) {
        try {
            ImageConfig.parse(bytes);
        } catch (Json.JsonFormatException | InvalidDigestException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "10s")
    void namesAndDigests(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        try {
            RepositoryName n = RepositoryName.of(s);
            if (n.value().contains("..") || n.value().startsWith("/")) {
                throw new AssertionError("a valid name must never walk out of a directory: " + s);
            }
        } catch (RepositoryName.InvalidNameException expected) {
            // refused
        }
        try {
            Digest d = Digest.parse(s);
            if (d.encoded().contains("/") || d.encoded().contains(".")) {
                throw new AssertionError("a digest must be a safe file name: " + s);
            }
        } catch (InvalidDigestException expected) {
            // refused
        }
    }
}
