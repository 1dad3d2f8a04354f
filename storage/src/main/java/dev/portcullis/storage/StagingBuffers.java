package dev.portcullis.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers in which uploads gather bytes so that blob files are written in whole, aligned 2 MiB pieces.
 *
 * <p>Why: the page cache allocates a file's folios at the size of the writes that create them. Written in 2 MiB
 * pieces at 2 MiB offsets, a blob sits in the page cache as huge folios (on filesystems with large folios: ext4
 * from Linux 6.16, XFS), and a memory mapping of it then needs one page-table entry per 2 MiB instead of one per
 * 4 KiB. Serving a 64 MiB blob from a mapping then sets up and tears down 32 entries rather than 16,384, which
 * measured as a third of the CPU time of a large pull. Elsewhere the writes are merely larger.
 *
 * <p>Buffers are direct so the write needs no further copy, and kept for reuse (allocating and zeroing 2 MiB per
 * request would cost more than small uploads save), at most {@link #KEPT} of them.
 */
final class StagingBuffers {
    static final int SIZE = 2 << 20;
    private static final int KEPT = 16;
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger FREE_COUNT = new AtomicInteger();

    private StagingBuffers() {
    }

    static ByteBuffer take() {
        ByteBuffer b = FREE.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(SIZE);
        }
        FREE_COUNT.decrementAndGet();
        return b;
    }

    static void give(ByteBuffer b) {
        b.clear();
        if (FREE_COUNT.incrementAndGet() <= KEPT) {
            FREE.offer(b);
        } else {
            FREE_COUNT.decrementAndGet();
        }
    }
}
