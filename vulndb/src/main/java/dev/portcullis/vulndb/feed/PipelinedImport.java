package dev.portcullis.vulndb.feed;

import dev.portcullis.vulndb.model.Advisory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Parses and converts feed documents on worker threads while the calling thread writes, so parsing overlaps the
 * database work. Results are delivered to the sink in document order, exactly as a sequential import would, and
 * at most {@code maxInFlight} documents, and at most {@code maxInFlightBytes} bytes of them, are held at once
 * (a zip of many large documents would otherwise pin them all).
 */
public final class PipelinedImport implements FeedReader.DocumentHandler, AutoCloseable {
    private sealed interface Event permits Begin, Accept, Withdrawn {
    }

    private record Begin(Feed feed) implements Event {
    }

    private record Accept(Feed feed, Advisory advisory) implements Event {
    }

    private record Withdrawn(Feed feed, String id) implements Event {
    }

    /** What one document produced, to be replayed in order. */
    private record Converted(List<Event> events, ImportProblems problems) {
    }

    private final FeedImporters importers;
    private final AdvisorySink sink;
    private final ImportProblems problems;
    private final ExecutorService workers;
    /** Document bytes held by parses not yet delivered, by default; a single larger document goes through alone. */
    public static final long MAX_IN_FLIGHT_BYTES = 256L << 20;

    /** A parse under way and the size of its document. */
    private record Pending(Future<Converted> result, long bytes) {
    }

    private final int maxInFlight;
    private final long maxInFlightBytes;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private long inFlightBytes;

    public PipelinedImport(FeedImporters importers, AdvisorySink sink, ImportProblems problems, int workers,
                           int maxInFlight, long maxInFlightBytes) {
        this.importers = importers;
        this.sink = sink;
        this.problems = problems;
        this.workers = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().name("feed-parse-", 0)
                .factory());
        this.maxInFlight = maxInFlight;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    @Override
    public void document(FeedReader.Document document) {
        long bytes = document.bytes().length;
        while (!inFlight.isEmpty() && (inFlight.size() >= maxInFlight || inFlightBytes + bytes > maxInFlightBytes)) {
            deliver(inFlight.poll());
        }
        inFlight.add(new Pending(workers.submit(() -> convert(document)), bytes));
        inFlightBytes += bytes;
    }

    /** Delivers everything still in flight; call before committing. */
    public void finish() {
        while (!inFlight.isEmpty()) {
            deliver(inFlight.poll());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private Converted convert(FeedReader.Document d) {
        List<Event> events = new ArrayList<>();
        ImportProblems local = new ImportProblems();
        importers.read(d.location(), d.bytes(), new AdvisorySink() {
            @Override
            public void begin(Feed feed) {
                events.add(new Begin(feed));
            }

            @Override
            public void accept(Feed feed, Advisory advisory) {
                events.add(new Accept(feed, advisory));
            }

            @Override
            public void withdrawn(Feed feed, String id) {
                events.add(new Withdrawn(feed, id));
            }
        }, local);
        return new Converted(events, local);
    }

    private void deliver(Pending pending) {
        inFlightBytes -= pending.bytes();
        Converted c;
        try {
            c = pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException("import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new FeedException("feed conversion failed: " + e.getCause(), e.getCause());
        }
        for (Event e : c.events()) {
            switch (e) {
                case Begin b -> sink.begin(b.feed());
                case Accept a -> sink.accept(a.feed(), a.advisory());
                case Withdrawn w -> sink.withdrawn(w.feed(), w.id());
            }
        }
        c.problems().malformed().forEach(p -> problems.malformed(p.location(), p.reason()));
        c.problems().skipped().forEach(p -> problems.skipped(p.location(), p.reason()));
    }
}
