package dev.portcullis.scanner.layer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The layer walker on arbitrary bytes (plain, gzip or zstd by their magic): the only acceptable failure is a
 * {@link LayerReadException}; paths handed out never leave the root. The whole layer reader, with every
 * analyzer, must never throw at all. Seeds in {@code TarWalkerFuzzTestInputs/}; long runs: {@code bench/fuzz}.
 */
class TarWalkerFuzzTest {
    private static final Limits SMALL = new Limits(8 << 20, 8 << 20, 10_000, 4096, 200, 1 << 20, 1 << 20);

    @FuzzTest(maxDuration = "60s")
    void walker(byte[] blob) {
        try {
            new TarWalker(SMALL).walk(new ByteArrayInputStream(blob), null, new TarWalker.Visitor() {
                @Override
                public void entry(TarEntry entry, InputStream content) throws IOException {
                    if (entry.path().startsWith("/") || entry.path().equals("..") || entry.path().startsWith("../")
                            || entry.path().contains("/../") || entry.path().endsWith("/..")) {
                        throw new AssertionError("entry path escapes the root: " + entry.path());
                    }
                    content.readNBytes(1 << 16);
                }

                @Override
                public void skipped(String rawPath, String reason) {
                }
            });
        } catch (LayerReadException expected) {
            // refused with a reason: the contract
        }
    }

    @FuzzTest(maxDuration = "60s")
    void layerReaderWithEveryAnalyzer(byte[] blob) {
        LayerResult r = new LayerReader(Analyzers.all(), SMALL)
                .read(Digest.sha256(blob), () -> new ByteArrayInputStream(blob), n -> { });
        r.packages().forEach(p -> p.purl().canonicalize());
    }
}
