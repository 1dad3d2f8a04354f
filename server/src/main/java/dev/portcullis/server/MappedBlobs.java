package dev.portcullis.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory mappings of recently pulled blob files, kept between requests.
 *
 * <p>Why: a response written from a mapped file costs one copy per byte (page cache to socket), but the mapping
 * itself costs a page-table entry per 4 KiB page, set up by page faults as the bytes are read and torn down (with a
 * TLB flush on every CPU) when the mapping goes. For a 64 MiB blob that is 16,384 entries each way, and a profile of
 * large pulls put a third of the server's CPU there. Blobs are immutable and content-addressed, so a mapping stays
 * valid as long as it is kept, and every pull of a hot layer (a base image, a rollout pulling the same image on many
 * nodes) shares it.
 *
 * <p>Bounded by {@code budget} bytes of mappings. The resident pages of a mapping count in the server's RSS (they
 * are page cache the kernel holds anyway, but shown as the process's), so the budget is also how much RSS the cache
 * may take. Mappings in use are never unmapped; idle ones go least recently used first when a new one needs the
 * room. A blob that does not fit (larger than the budget, or the budget is held by mappings in use) gets no lease,
 * and the caller maps it window by window for that one response.
 */
final class MappedBlobs implements AutoCloseable {
    private final long budget;
    // Access order: iteration starts at the least recently leased mapping.
    private final LinkedHashMap<Path, Mapping> mappings = new LinkedHashMap<>(16, 0.75f, true);
    private long mapped;
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

    /** The whole of {@code file} mapped, or null when it is not kept and cannot be now. */
    Lease lease(Path file) throws IOException {
        synchronized (this) {
            Mapping m = mappings.get(file);
            if (m != null) {
                hits.increment();
                return hold(m);
            }
        }
        misses.increment();
        if (budget == 0) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0 || size > budget) {
                return null;
            }
            synchronized (this) {
                Mapping m = mappings.get(file); // another request mapped it meanwhile
                if (m != null) {
                    return hold(m);
                }
                if (!makeRoom(size)) {
                    return null;
                }
                // Shared: Jetty may finish a response's write on a selector thread. The mapping outlives the channel.
                Arena arena = Arena.ofShared();
                m = new Mapping(file, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
                mappings.put(file, m);
                mapped += size;
                return hold(m);
            }
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

    private void unmap(Mapping m) {
        mapped -= m.segment.byteSize();
        m.arena.close();
    }

    private synchronized void release(Mapping m) {
        if (--m.users == 0 && m.closing) {
            mappings.remove(m.file, m);
            unmap(m);
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
        for (Iterator<Mapping> it = mappings.values().iterator(); it.hasNext(); ) {
            Mapping m = it.next();
            if (m.users == 0) {
                it.remove();
                unmap(m);
            } else {
                m.closing = true;
            }
        }
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
