package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedBlobsTest {
    private static final int KIB = 1024;

    @TempDir
    Path dir;

    private Path blob(String name, int size) throws IOException {
        byte[] b = new byte[size];
        new Random(name.hashCode()).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    private static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void aSecondPullOfABlobSharesTheMappingOfTheFirst() throws IOException {
        Path a = blob("a", 100 * KIB);
        try (MappedBlobs blobs = new MappedBlobs(1 << 20);
             MappedBlobs.Lease first = blobs.lease(a);
             MappedBlobs.Lease second = blobs.lease(a)) {
            assertThat(bytes(first.segment())).isEqualTo(Files.readAllBytes(a));
            assertThat(second.segment().address()).isEqualTo(first.segment().address());
            assertThat(blobs.mappedBytes()).isEqualTo(100 * KIB);
            assertThat(blobs.hits()).isEqualTo(1);
            assertThat(blobs.misses()).isEqualTo(1);
        }
    }

    @Test
    void theLeastRecentlyUsedIdleMappingMakesRoomAndMappingsInUseStay() throws IOException {
        Path a = blob("a", 400 * KIB);
        Path b = blob("b", 400 * KIB);
        Path c = blob("c", 400 * KIB);
        try (MappedBlobs blobs = new MappedBlobs(1000 * KIB)) {
            MappedBlobs.Lease leaseA = blobs.lease(a);
            MemorySegment segmentA = leaseA.segment();
            leaseA.close();
            MappedBlobs.Lease leaseB = blobs.lease(b);
            blobs.lease(a).close(); // a is now more recently used than b, but b is in use
            try (MappedBlobs.Lease leaseC = blobs.lease(c)) {
                // b is in use, so a (idle) was unmapped for c although it was used more recently
                assertThat(segmentA.scope().isAlive()).isFalse();
                assertThat(bytes(leaseC.segment())).isEqualTo(Files.readAllBytes(c));
                assertThat(blobs.mappedBytes()).isEqualTo(800 * KIB);
                // everything kept is in use: a does not fit and is not mapped
                assertThat(blobs.lease(a)).isNull();
                assertThat(blobs.mappedBytes()).isEqualTo(800 * KIB);
            }
            leaseB.close();
            try (MappedBlobs.Lease again = blobs.lease(a)) { // b was the least recently used idle one
                assertThat(bytes(again.segment())).isEqualTo(Files.readAllBytes(a));
                assertThat(blobs.mappedBytes()).isEqualTo(800 * KIB);
            }
        }
    }

    @Test
    void blobsLargerThanTheBudgetOrEmptyAreNotMapped() throws IOException {
        try (MappedBlobs blobs = new MappedBlobs(64 * KIB)) {
            assertThat(blobs.lease(blob("big", 64 * KIB + 1))).isNull();
            assertThat(blobs.lease(blob("empty", 0))).isNull();
            assertThat(blobs.mappedBytes()).isZero();
        }
        try (MappedBlobs off = new MappedBlobs(0)) {
            assertThat(off.lease(blob("small", 10))).isNull();
        }
        assertThatThrownBy(() -> new MappedBlobs(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingKeepsMappingsInUseReadableUntilTheirLastResponse() throws IOException {
        Path a = blob("a", 10 * KIB);
        MappedBlobs blobs = new MappedBlobs(1 << 20);
        MappedBlobs.Lease lease = blobs.lease(a);
        MemorySegment idle;
        try (MappedBlobs.Lease other = blobs.lease(blob("b", 10 * KIB))) {
            idle = other.segment();
        }
        blobs.close();
        assertThat(idle.scope().isAlive()).isFalse();
        assertThat(bytes(lease.segment())).isEqualTo(Files.readAllBytes(a));
        lease.close();
        lease.close(); // a second close releases nothing more
        assertThat(lease.segment().scope().isAlive()).isFalse();
        assertThat(blobs.mappedBytes()).isZero();
    }

    @Test
    void concurrentPullsSeeTheirOwnBytesAndTheBudgetHolds() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            files.add(blob("f" + i, (50 + i) * KIB));
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            contents.add(Files.readAllBytes(f));
        }
        long budget = 300 * KIB;
        try (MappedBlobs blobs = new MappedBlobs(budget);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> {
                    int served = 0;
                    for (int i = 0; i < 300; i++) {
                        int pick = ThreadLocalRandom.current().nextInt(files.size());
                        try (MappedBlobs.Lease lease = blobs.lease(files.get(pick))) {
                            assertThat(blobs.mappedBytes()).isLessThanOrEqualTo(budget);
                            if (lease != null) {
                                assertThat(bytes(lease.segment())).isEqualTo(contents.get(pick));
                                served++;
                            }
                        }
                    }
                    return served;
                }));
            }
            int served = 0;
            for (Future<Integer> r : results) {
                served += r.get();
            }
            assertThat(served).isPositive();
            assertThat(blobs.hits() + blobs.misses()).isEqualTo(16 * 300);
            assertThat(blobs.mappedBytes()).isLessThanOrEqualTo(budget);
        }
    }
}
