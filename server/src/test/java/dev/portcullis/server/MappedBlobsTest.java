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

    /** Leases {@code file} and gives it back at once, as a response written in no time would. */
    private static boolean pull(MappedBlobs blobs, Path file) throws IOException {
        try (MappedBlobs.Lease lease = blobs.lease(file, Files.size(file))) {
            if (lease != null) {
                assertThat(bytes(lease.segment())).isEqualTo(Files.readAllBytes(file));
            }
            return lease != null;
        }
    }

    @Test
    void aBlobIsKeptFromItsSecondPullAndSharedByLaterOnes() throws IOException {
        Path a = blob("a", 100 * KIB);
        try (MappedBlobs blobs = new MappedBlobs(1 << 20)) {
            assertThat(pull(blobs, a)).as("a first pull maps nothing for keeps").isFalse();
            assertThat(blobs.mappedBytes()).isZero();
            try (MappedBlobs.Lease second = blobs.lease(a, Files.size(a));
                 MappedBlobs.Lease third = blobs.lease(a, Files.size(a))) {
                assertThat(bytes(second.segment())).isEqualTo(Files.readAllBytes(a));
                assertThat(third.segment().address()).isEqualTo(second.segment().address());
                assertThat(blobs.mappedBytes()).isEqualTo(100 * KIB);
            }
            assertThat(blobs.hits()).isEqualTo(1);
            assertThat(blobs.misses()).isEqualTo(2);
            assertThat(blobs.mappedBytes()).as("kept while idle").isEqualTo(100 * KIB);
        }
    }

    @Test
    void aStaleMappingMakesRoomAndMappingsInUseStay() throws IOException {
        Path a = blob("a", 300 * KIB);
        Path b = blob("b", 300 * KIB);
        Path c = blob("c", 300 * KIB);
        try (MappedBlobs blobs = new MappedBlobs(700 * KIB)) {
            pull(blobs, a);
            MemorySegment segmentA;
            try (MappedBlobs.Lease leaseA = blobs.lease(a, Files.size(a))) {
                segmentA = leaseA.segment();
            }
            for (int i = 0; i < MappedBlobs.RECENT; i++) {
                pull(blobs, b); // a leaves the recent pulls, still mapped
            }
            assertThat(blobs.mappedBytes()).isEqualTo(600 * KIB);
            try (MappedBlobs.Lease leaseB = blobs.lease(b, Files.size(b))) {
                pull(blobs, c);
                try (MappedBlobs.Lease leaseC = blobs.lease(c, Files.size(c))) {
                    // b and c (600 KiB) fit; a, idle and least recently used, made room for c
                    assertThat(segmentA.scope().isAlive()).isFalse();
                    assertThat(leaseB.segment().scope().isAlive()).isTrue();
                    assertThat(bytes(leaseC.segment())).isEqualTo(Files.readAllBytes(c));
                    assertThat(blobs.mappedBytes()).isEqualTo(600 * KIB);
                }
            }
        }
    }

    /**
     * Pulls cycling through more blobs than the budget holds would unmap every mapping before its next use: the
     * cache keeps nothing then, so its memory goes back, and takes blobs again once the pulls fit.
     */
    @Test
    void pullsThatCycleThroughMoreThanTheBudgetKeepNothing() throws IOException {
        List<Path> many = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            many.add(blob("m" + i, 100 * KIB));
        }
        try (MappedBlobs blobs = new MappedBlobs(350 * KIB)) {
            for (int round = 0; round < 2; round++) {
                for (Path p : many.subList(0, 3)) {
                    pull(blobs, p);
                }
            }
            assertThat(blobs.mappedBytes()).as("three blobs fit and are kept").isEqualTo(300 * KIB);
            MappedBlobs.Lease inUse = blobs.lease(many.get(0), Files.size(many.get(0)));
            assertThat(inUse).isNotNull();
            for (Path p : many) { // six blobs of 100 KiB do not fit in 350 KiB
                pull(blobs, p);
            }
            assertThat(blobs.mappedBytes()).as("the idle mappings went at once").isEqualTo(100 * KIB);
            for (Path p : many) {
                assertThat(pull(blobs, p)).as("nothing is kept while the pulls do not fit").isFalse();
            }
            assertThat(bytes(inUse.segment())).as("the one in use stays readable")
                    .isEqualTo(Files.readAllBytes(many.get(0)));
            inUse.close();
            assertThat(blobs.mappedBytes()).as("and goes when its response is written").isZero();
            for (int round = 0; round < MappedBlobs.RECENT; round++) { // the pulls narrow to two blobs again
                pull(blobs, many.get(round % 2));
            }
            assertThat(blobs.mappedBytes()).isEqualTo(200 * KIB);
        }
    }

    @Test
    void blobsLargerThanTheBudgetOrEmptyAreNotMapped() throws IOException {
        try (MappedBlobs blobs = new MappedBlobs(64 * KIB)) {
            Path big = blob("big", 64 * KIB + 1);
            Path empty = blob("empty", 0);
            for (int i = 0; i < 3; i++) {
                assertThat(pull(blobs, big)).isFalse();
                assertThat(pull(blobs, empty)).isFalse();
            }
            assertThat(blobs.mappedBytes()).isZero();
        }
        try (MappedBlobs off = new MappedBlobs(0)) {
            Path small = blob("small", 10);
            assertThat(pull(off, small)).isFalse();
            assertThat(pull(off, small)).isFalse();
        }
        assertThatThrownBy(() -> new MappedBlobs(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mappingsOfDeletedBlobsAreLetGo() throws IOException {
        Path a = blob("a", 10 * KIB);
        Path b = blob("b", 20 * KIB);
        Path c = blob("c", 30 * KIB);
        try (MappedBlobs blobs = new MappedBlobs(1 << 20)) {
            for (Path p : new Path[] {a, a, b, b, c, c}) {
                pull(blobs, p);
            }
            MappedBlobs.Lease inUse = blobs.lease(b, Files.size(b));
            Files.delete(a);
            Files.delete(b);
            blobs.forgetDeleted();
            assertThat(blobs.mappedBytes()).isEqualTo(50 * KIB); // b is still being sent
            assertThat(inUse.segment().get(ValueLayout.JAVA_BYTE, 0)).isNotNull();
            inUse.close();
            assertThat(blobs.mappedBytes()).isEqualTo(30 * KIB);
            assertThat(pull(blobs, c)).isTrue();
        }
    }

    @Test
    void closingKeepsMappingsInUseReadableUntilTheirLastResponse() throws IOException {
        Path a = blob("a", 10 * KIB);
        Path b = blob("b", 10 * KIB);
        MappedBlobs blobs = new MappedBlobs(1 << 20);
        pull(blobs, a);
        pull(blobs, b);
        MappedBlobs.Lease lease = blobs.lease(a, Files.size(a));
        MemorySegment idle;
        try (MappedBlobs.Lease other = blobs.lease(b, Files.size(b))) {
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
        long budget = 400 * KIB;
        try (MappedBlobs blobs = new MappedBlobs(budget);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> {
                    int served = 0;
                    for (int i = 0; i < 300; i++) {
                        // A hot set of a few blobs that slides along: kept, evicted and stepped aside in turn.
                        int pick = (i / 50 + ThreadLocalRandom.current().nextInt(3)) % files.size();
                        try (MappedBlobs.Lease lease = blobs.lease(files.get(pick), contents.get(pick).length)) {
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
