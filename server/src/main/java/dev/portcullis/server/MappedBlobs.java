package dev.portcullis.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory mappings of blobs pulled again and again, kept between requests.
 *
 * <p>Why: a response written from a mapped file costs one copy per byte (page cache to socket), but the mapping
 * itself costs a page-table entry per 4 KiB page, set up by page faults as the bytes are read and torn down (with a
 * TLB flush on every CPU) when the mapping goes. For a 64 MiB blob that is 16,384 entries each way, and a profile of
 * large pulls put a third of the server's CPU there. Blobs are immutable and content-addressed, so a mapping stays
 * valid as long as it is kept, and every pull of a hot layer (a base image, a rollout pulling one image on many
 * nodes) can share it.
 *
 * <p>What is kept: a blob is mapped for keeps on its second pull among the last {@value #RECENT} pulls, and only
 * while the distinct blobs of those pulls fit in {@code budget} bytes. When they do not, the pulls cycle through
 * more than the cache holds: every mapping would be unmapped before its next use (least-recently-used caches fail
 * that way on scans), so the cache steps aside, unmaps what it holds as soon as it is idle, and pulls are mapped
 * window by window by the caller. That is also what bounds memory: the resident pages of a kept mapping count in
 * the server's RSS (page cache the kernel holds anyway, shown as the process's), so 32 clients pulling 32 different
 * large blobs leave nothing kept, while the same clients pulling a few hot layers get them from memory. Within the
 * budget, idle mappings go least recently used first; mappings in use are never unmapped under a response.
 */
final class MappedBlobs implements AutoCloseable {
    /** Pulls remembered to judge whether the blobs being pulled fit: a cycle through up to this many blobs. */
    static final int RECENT = 64;

    private final long budget;
    // Access order: iteration starts at the least recently leased mapping. Guarded by this.
    private final LinkedHashMap<Path, Mapping> mappings = new LinkedHashMap<>(16, 0.75f, true);
    private long mapped;
    // The last RECENT pulls (a ring), how often each blob occurs in it, and the bytes of its distinct blobs.
    private final Path[] recentFiles = new Path[RECENT];
    private final long[] recentSizes = new long[RECENT];
    private int recentNext;
    private final Map<Path, Integer> recentCounts = new HashMap<>();
    private long recentBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param budget bytes of mappings kept at most; 0 turns the cache off */
    MappedBlobs(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        this.budget = budget;
    }

    /** A mapped blob held for one response; closing it lets the mapping go when the cache needs the room. */
    interface Lease extends AutoCloseable {
        MemorySegment segment();

        @Override
        void close();
    }

    /**
     * The whole of {@code file} ({@code size} bytes, as the metadata says) mapped, or null when it is not kept and is
     * not to be kept now. Opens the file only to map it.
     */
    Lease lease(Path file, long size) throws IOException {
        synchronized (this) {
            Mapping m = mappings.get(file);
            if (m != null) {
                hits.increment();
            } else {
                misses.increment();
            }
            boolean pulledBefore = recentCounts.containsKey(file);
            remember(file, size);
            if (recentBytes > budget) {
                // The pulls no longer fit: served without the cache, and what it holds goes when idle.
                unmapIdle();
                return null;
            }
            if (m != null) {
                return hold(m);
            }
            if (!pulledBefore || size == 0 || !makeRoom(size)) {
                return null;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // Shared: Jetty may finish a response's write on a selector thread. The mapping outlives the channel.
                Arena arena = Arena.ofShared();
                m = new Mapping(file, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            }
            mappings.put(file, m);
            mapped += size;
            return hold(m);
        }
    }

    /** Records a pull in the ring of recent pulls. Guarded by this. */
    private void remember(Path file, long size) {
        Path old = recentFiles[recentNext];
        if (old != null && recentCounts.merge(old, -1, Integer::sum) == 0) {
            recentCounts.remove(old);
            recentBytes -= recentSizes[recentNext];
        }
        recentFiles[recentNext] = file;
        recentSizes[recentNext] = size;
        recentNext = (recentNext + 1) % RECENT;
        if (recentCounts.merge(file, 1, Integer::sum) == 1) {
            recentBytes += size;
        }
    }

    private Lease hold(Mapping m) {
        m.users++;
        return new Held(m);
    }

    /** Unmaps idle mappings, least recently used first, until {@code size} more bytes fit the budget. */
    private boolean makeRoom(long size) {
        for (Iterator<Mapping> it = mappings.values().iterator(); it.hasNext() && mapped + size > budget; ) {
            Mapping m = it.next();
            if (m.users == 0) {
                it.remove();
                unmap(m);
            }
        }
        return mapped + size <= budget;
    }

    /** Unmaps every idle mapping now; those in use go when their last response is written. */
    private void unmapIdle() {
        for (Iterator<Mapping> it = mappings.values().iterator(); it.hasNext(); ) {
            Mapping m = it.next();
            if (m.users == 0) {
                it.remove();
                unmap(m);
            }
        }
    }

    private void unmap(Mapping m) {
        mapped -= m.segment.byteSize();
        m.arena.close();
    }

    private synchronized void release(Mapping m) {
        if (--m.users == 0 && (m.closing || recentBytes > budget)) {
            mappings.remove(m.file, m);
            unmap(m);
        }
    }

    /**
     * Lets go of mappings whose blob file was deleted (garbage collection): a mapping keeps a deleted file's disk
     * space until it is unmapped. Idle ones go now, those in use when their last response is written.
     */
    synchronized void forgetDeleted() {
        for (Iterator<Mapping> it = mappings.values().iterator(); it.hasNext(); ) {
            Mapping m = it.next();
            if (Files.notExists(m.file)) {
                if (m.users == 0) {
                    it.remove();
                    unmap(m);
                } else {
                    m.closing = true;
                }
            }
        }
    }

    /** Bytes mapped now. */
    synchronized long mappedBytes() {
        return mapped;
    }

    /** Leases answered from a kept mapping. */
    long hits() {
        return hits.sum();
    }

    /** Leases that found no kept mapping (whether or not one was then made). */
    long misses() {
        return misses.sum();
    }

    /** Unmaps everything now idle; mappings in use are unmapped by their last response. */
    @Override
    public synchronized void close() {
        for (Mapping m : mappings.values()) {
            m.closing = true;
        }
        unmapIdle();
    }

    private static final class Mapping {
        final Path file;
        final Arena arena;
        final MemorySegment segment;
        int users; // guarded by the MappedBlobs instance, as is closing
        boolean closing;

        Mapping(Path file, Arena arena, MemorySegment segment) {
            this.file = file;
            this.arena = arena;
            this.segment = segment;
        }
    }

    /** One response's hold on a mapping; closing twice releases once. */
    private final class Held implements Lease {
        private final Mapping mapping;
        private boolean released;

        Held(Mapping mapping) {
            this.mapping = mapping;
        }

        @Override
        public MemorySegment segment() {
            return mapping.segment;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(mapping);
            }
        }
    }
}
