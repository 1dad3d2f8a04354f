package dev.portcullis.scanner.layer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * One thread that runs analysis tasks in submission order, so analyzers keep seeing files one at a time and in
 * tar order while the walker thread goes on decompressing. The bytes waiting for analysis are bounded: a
 * submit blocks while more than {@code maxInFlightBytes} are queued.
 */
final class AnalysisWorker implements AutoCloseable {
    private static final int KIB = 1024;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("portcullis-analysis").daemon(true).factory());
    private final Semaphore inFlight;
    private final int maxPermits;
    private volatile Throwable failure;

    AnalysisWorker(long maxInFlightBytes) {
        this.maxPermits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxInFlightBytes / KIB));
        this.inFlight = new Semaphore(maxPermits);
    }

    /** Queues {@code task}, which holds {@code bytes} of file content until it has run. */
    void submit(long bytes, Runnable task) {
        int permits = (int) Math.min(maxPermits, Math.max(1, bytes / KIB));
        inFlight.acquireUninterruptibly(permits);
        executor.execute(() -> {
            try {
                if (failure == null) {
                    task.run();
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                inFlight.release(permits);
            }
        });
        rethrow();
    }

    /** Waits until every queued task has run. */
    void drain() {
        try {
            executor.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for analyzers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("analysis barrier failed", e.getCause());
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
