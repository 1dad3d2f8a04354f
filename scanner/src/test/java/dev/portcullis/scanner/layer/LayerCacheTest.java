package dev.portcullis.scanner.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.testing.TestLayers;
import dev.portcullis.scanner.testing.TestLayers.Tar;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
    @TempDir
    Path dir;

    @Test
    void onDiskCacheGivesTheSameResultWithoutReadingTheLayerAgain() throws Exception {
        byte[] layer = new Tar().file("etc/os-release", "ID=alpine\nVERSION_ID=3.10.3\n")
                .file("lib/apk/db/installed", "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\nL:MIT\n\n").gzip();
        TestLayers.Image image = TestLayers.image(TestLayers.CONFIG, layer);
        ScanResult first = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.onDisk(dir),
                Clock.systemUTC()).scanImage(image, image.sourceImage(), ScanListener.NONE);
        // a new cache object on the same directory: as a later process would see it
        ScanResult second = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.onDisk(dir),
                Clock.systemUTC()).scanImage(image, image.sourceImage(), ScanListener.NONE);
        assertThat(first.layers().getFirst().cached()).isFalse();
        assertThat(second.layers().getFirst().cached()).isTrue();
        assertThat(second.packages()).isEqualTo(first.packages());
        assertThat(second.os()).isEqualTo(first.os());
        assertThat(second.packages().getFirst().licenses()).containsExactly("MIT");
    }

    @Test
    void aCacheThatCannotBeWrittenCostsTimeNotCompleteness() throws Exception {
        byte[] layer = new Tar().file("etc/os-release", "ID=alpine\nVERSION_ID=3.10.3\n")
                .file("lib/apk/db/installed", "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\nL:MIT\n\n").gzip();
        TestLayers.Image image = TestLayers.image(TestLayers.CONFIG, layer);
        Path cacheDir = dir.resolve("cache");
        LayerCache cache = LayerCache.onDisk(cacheDir);
        // the cache directory disappears under the scanner (as on a full or unmounted disk): every write fails
        java.nio.file.Files.delete(cacheDir);
        java.nio.file.Files.writeString(cacheDir, "in the way");
        ScanResult r = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, cache, Clock.systemUTC())
                .scanImage(image, image.sourceImage(), ScanListener.NONE);
        assertThat(r.complete()).as("unreadable: %s", r.unreadable()).isTrue();
        assertThat(r.packages()).extracting(p -> p.name()).containsExactly("musl");
    }

    @Test
    void layersBeyondTheImageByteLimitAreUnreadableNotRead() throws Exception {
        byte[] first = new Tar().file("a", new byte[4096], 0644).gzip();
        byte[] second = new Tar().file("lib/apk/db/installed", "P:musl\nV:1\n\n").gzip();
        TestLayers.Image image = TestLayers.image(TestLayers.CONFIG, first, second);
        Limits tiny = new Limits(1L << 30, 1024, 1000, 4096, 1000, 0, 1 << 20);
        ScanResult r = new Scanner(Analyzers.all(), Analyzers.image(), tiny, LayerCache.inMemory(), Clock.systemUTC())
                .scanImage(image, image.sourceImage(), ScanListener.NONE);
        assertThat(r.packages()).isEmpty();
        assertThat(r.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.layer()).isEqualTo(r.layers().get(1).digest());
            assertThat(u.reason()).contains("more than 1024 bytes");
        });
    }

    @Test
    void incompleteResultsAreNotCached() throws Exception {
        byte[] broken = TestLayers.gzip("not a tar".getBytes());
        TestLayers.Image image = TestLayers.image(TestLayers.CONFIG, broken);
        LayerCache cache = LayerCache.onDisk(dir);
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, cache, Clock.systemUTC());
        scanner.scanImage(image, image.sourceImage(), ScanListener.NONE);
        ScanResult again = scanner.scanImage(image, image.sourceImage(), ScanListener.NONE);
        assertThat(again.layers().getFirst().cached()).isFalse();
        assertThat(again.complete()).isFalse();
    }
}
