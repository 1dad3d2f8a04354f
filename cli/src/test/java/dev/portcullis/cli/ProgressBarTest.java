package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final Descriptor LAYER = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
            Digest.sha256(new byte[0]), 2 << 20);

    @Test
    void drawsOneLineAndClearsItOnlyWhenEnabled() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), true)) {
            bar.layerStarted(0, 2, LAYER, false);
            bar.bytesRead(1 << 20);
        }
        String drawn = out.toString(StandardCharsets.UTF_8);
        assertThat(drawn).startsWith("\r[").contains("layer 1/2").contains("/2.0 MiB").doesNotContain("\n")
                .endsWith("\r");
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(quiet, true, StandardCharsets.UTF_8), false)) {
            bar.layerStarted(0, 1, LAYER, false);
        }
        assertThat(quiet.size()).isZero();
    }
}
