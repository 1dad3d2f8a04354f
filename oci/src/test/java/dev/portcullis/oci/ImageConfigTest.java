package dev.portcullis.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The config's creation time: read from a real corpus image; missing, garbled or Go's zero time is unknown. */
class ImageConfigTest {

    @Test
    void createdIsReadFromACorpusImageConfig() throws Exception {
        Path image = Corpus.image("java-app");
        String config = Json.parse(Files.readAllBytes(image.resolve("digests.json"))).get("config").asText();
        byte[] bytes = Files.readAllBytes(image.resolve("oci/blobs/sha256").resolve(Digest.parse(config).encoded()));
        assertThat(ImageConfig.parse(bytes).created()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void anOffsetAndFractionalSecondsAreNormalisedToUtc() {
        assertThat(created("\"2024-03-05T10:11:12.123456789+02:00\""))
                .isEqualTo(Instant.parse("2024-03-05T08:11:12.123456789Z"));
    }

    @Test
    void missingGarbledOrZeroDatesAreUnknownAndTheRestIsStillRead() {
        assertThat(created(null)).isNull();
        assertThat(created("\"yesterday\"")).isNull();
        assertThat(created("\"2024-13-45T99:00:00Z\"")).isNull();
        assertThat(created("17")).isNull();
        assertThat(created("\"0001-01-01T00:00:00Z\"")).isNull();
        ImageConfig c = ImageConfig.parse("{\"created\":\"garbled\",\"config\":{\"User\":\"app\"}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.user()).isEqualTo("app");
    }

    private static Instant created(String json) {
        String doc = json == null ? "{}" : "{\"created\":" + json + "}";
        return ImageConfig.parse(doc.getBytes(StandardCharsets.UTF_8)).created();
    }
}
