package dev.portcullis.scanner.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.testing.TestLayers;
import dev.portcullis.scanner.testing.TestLayers.Tar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tar walker's bounds: traversal, bombs, corrupt and truncated input, digest checks. */
class TarWalkerTest {

    private static List<TarEntry> walk(byte[] blob, Limits limits) throws LayerReadException {
        List<TarEntry> out = new ArrayList<>();
        new TarWalker(limits).walk(new ByteArrayInputStream(blob), Digest.sha256(blob), new TarWalker.Visitor() {
            @Override
            public void entry(TarEntry entry, InputStream content) throws IOException {
                content.transferTo(java.io.OutputStream.nullOutputStream());
                out.add(entry);
            }

            @Override
            public void skipped(String rawPath, String reason) {
                out.add(new TarEntry(rawPath, TarEntry.Kind.OTHER, -1, 0, reason));
            }
        });
        return out;
    }

    @Test
    void dotDotAndAbsolutePathsStayInsideTheRoot() throws Exception {
        byte[] blob = new Tar().file("../../../etc/passwd", "x").file("/etc/shadow", "y")
                .file("./a/./b/../c", "z").symlink("etc/evil", "../../../../../etc/os-release").gzip();
        List<TarEntry> entries = walk(blob, Limits.DEFAULTS);
        assertThat(entries).extracting(TarEntry::path).containsExactly("etc/passwd", "etc/shadow", "a/c", "etc/evil");
        assertThat(TarPaths.resolveSymlink("etc/evil", "../../../../../etc/os-release")).isEqualTo("etc/os-release");
        assertThat(TarPaths.resolveSymlink("usr/bin/x", "/../../bin/sh")).isEqualTo("bin/sh");
    }

    @Test
    void recognisesWhiteoutsAndOpaqueMarkers() throws Exception {
        byte[] blob = new Tar().whiteout("opt/build/deploy_key").opaque("var/cache").file(".wh..wh.plnk/1", "")
                .gzip();
        assertThat(walk(blob, Limits.DEFAULTS)).extracting(e -> e.kind() + " " + e.path())
                .containsExactly("WHITEOUT opt/build/deploy_key", "OPAQUE var/cache");
    }

    @Test
    void gzipBombIsStoppedByTheRatioLimit() {
        byte[] zeros = new byte[32 << 20];
        byte[] blob = new Tar().file("bomb", zeros, 0644).gzip();
        Limits limits = new Limits(1L << 40, 1L << 40, 1000, 4096, 100, 1 << 20, 1 << 20);
        assertThatThrownBy(() -> walk(blob, limits)).isInstanceOf(LayerReadException.class)
                .hasMessageContaining("decompression ratio above 100:1");
    }

    @Test
    void layerSizeAndEntryCountAreBounded() {
        byte[] big = new Tar().file("a", new byte[3 << 20], 0644).gzip();
        Limits small = new Limits(1 << 20, 1L << 40, 1000, 4096, 100_000, 0, 1 << 20);
        assertThatThrownBy(() -> walk(big, small)).hasMessageContaining("more than 1048576 bytes")
                .satisfies(e -> assertThat(((LayerReadException) e).decompressedBytes())
                        .as("what was expanded before the limit counts against the image's budget")
                        .isGreaterThan(1 << 20));
        Tar many = new Tar();
        for (int i = 0; i < 20; i++) {
            many.file("f" + i, "x");
        }
        Limits fewEntries = new Limits(1L << 40, 1L << 40, 10, 4096, 1000, 0, 1 << 20);
        byte[] manyBlob = many.gzip();
        assertThatThrownBy(() -> walk(manyBlob, fewEntries)).hasMessageContaining("more than 10 tar entries");
    }

    @Test
    void oversizedPaxHeaderIsRefusedBeforeItIsBufferedButLongNamesStillWork() throws Exception {
        Tar before = new Tar().dir("d").symlink("d/l", "../x").file("usr/" + "n".repeat(150), "long name");
        for (int size : new int[] {0, 1, 511, 512, 513, 10_000}) {
            before.file("f" + size, new byte[size], 0644);
        }
        // the guard must still be in step with the records after entries of every shape
        byte[] bomb = before.fileWithPax("a", "comment", "x".repeat(2 << 20)).gzip();
        assertThatThrownBy(() -> walk(bomb, Limits.DEFAULTS)).isInstanceOf(LayerReadException.class)
                .hasMessageContaining("type 'x'").hasMessageContaining("exceeds the 1048576-byte limit");
        String longName = "usr/share/" + "long-directory-name/".repeat(20) + "file.txt";
        byte[] fine = new Tar().file(longName, "x").fileWithPax("b", "comment", "small").gzip();
        assertThat(walk(fine, Limits.DEFAULTS)).extracting(TarEntry::path).containsExactly(longName, "b");
    }

    @Test
    void overlongPathsFromDeepNestingAreSkippedVisibly() throws Exception {
        String deep = "d/".repeat(3000) + "file";
        byte[] blob = new Tar().file(deep, "x").file("ok", "y").gzip();
        List<TarEntry> entries = walk(blob, Limits.DEFAULTS);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).linkTarget()).contains("path longer than 4096");
        assertThat(entries.get(1).path()).isEqualTo("ok");
    }

    @Test
    void corruptTruncatedAndMismatchedLayersFailWithAReason() {
        byte[] good = new Tar().file("a", "hello".repeat(1000)).gzip();
        byte[] corrupt = good.clone();
        for (int i = 20; i < 40; i++) {
            corrupt[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> walk(corrupt, Limits.DEFAULTS)).isInstanceOf(LayerReadException.class);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> walk(truncated, Limits.DEFAULTS)).isInstanceOf(LayerReadException.class);
        assertThatThrownBy(() -> new TarWalker(Limits.DEFAULTS).walk(new ByteArrayInputStream(good),
                Digest.sha256(new byte[0]), new NullVisitor())).hasMessageContaining("does not match its digest");
        byte[] notTar = TestLayers.gzip("this is not a tar archive at all, just text".repeat(20).getBytes());
        assertThatThrownBy(() -> walk(notTar, Limits.DEFAULTS)).isInstanceOf(LayerReadException.class);
    }

    @Test
    void readsZstdAndPlainTar() throws Exception {
        Tar tar = new Tar().file("etc/hostname", "box");
        byte[] plain = tar.bytes();
        assertThat(walk(plain, Limits.DEFAULTS)).extracting(TarEntry::path).containsExactly("etc/hostname");
        assertThat(walk(new Tar().file("etc/hostname", "box").zstd(), Limits.DEFAULTS))
                .extracting(TarEntry::path).containsExactly("etc/hostname");
    }

    @Test
    void corruptLayerBecomesUnreadableNotACrash() {
        byte[] corrupt = TestLayers.gzip(new byte[0]);
        corrupt[corrupt.length - 5] ^= 1; // break the CRC
        LayerResult r = new LayerReader(Analyzers.all(), Limits.DEFAULTS)
                .read(Digest.sha256(corrupt), () -> new ByteArrayInputStream(corrupt), n -> { });
        assertThat(r.complete()).isFalse();
        assertThat(r.unreadable().getFirst().reason()).isNotBlank();
    }

    private static final class NullVisitor implements TarWalker.Visitor {
        @Override
        public void entry(TarEntry entry, InputStream content) {
        }

        @Override
        public void skipped(String rawPath, String reason) {
        }
    }
}
