package dev.portcullis.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A manifest is UTF-8 JSON (RFC 8259 section 8.1): every other encoding, and every malformed byte, is refused. */
class ManifestEncodingTest {
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\""
            + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)) + "\",\"size\":2},\"layers\":[],"
            + "\"annotations\":{\"note\":\"@@\"}}";

    @Test
    void utf8IsRead() {
        Manifest m = ManifestParser.parse(with("\u00e9\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)),
                MediaType.OCI_MANIFEST);
        assertThat(m.annotations()).containsEntry("note", "\u00e9\uD83D\uDE00");
    }

    @Test
    void otherEncodingsOfTheSameDocumentAreRefused() {
        String text = MANIFEST.replace("@@", "x");
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            assertRefused(text.getBytes(charset), charset.name());
        }
        assertRefused(concat(HexFormat.of().parseHex("efbbbf"), text.getBytes(StandardCharsets.UTF_8)), "BOM");
    }

    @Test
    void malformedUtf8IsRefused() {
        // overlong '/', overlong NUL, above U+10FFFF, an encoded surrogate, bytes that are never UTF-8, truncated.
        for (String hex : List.of("c0af", "e080af", "f0808080", "f4908080", "f7bfbfbf", "eda080", "eda080edb080",
                "ff", "fe", "c3", "e282", "80")) {
            assertRefused(with(HexFormat.of().parseHex(hex)), hex);
        }
    }

    private static void assertRefused(byte[] manifest, String what) {
        assertThatThrownBy(() -> ManifestParser.parse(manifest, MediaType.OCI_MANIFEST)).as(what)
                .isInstanceOf(ManifestParser.InvalidManifestException.class).hasMessageContaining("UTF-8");
    }

    private static byte[] with(byte[] annotation) {
        int at = MANIFEST.indexOf("@@");
        return concat(MANIFEST.substring(0, at).getBytes(StandardCharsets.UTF_8), annotation,
                MANIFEST.substring(at + 2).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
