package dev.portcullis.server;

import dev.portcullis.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Liveness, readiness and metrics endpoints for operators and orchestrators. */
final class OperationsEndpoints {
    private final Database database;
    private final Path dataDir;
    private final Metrics metrics;
    private final BooleanSupplier stopping;

    OperationsEndpoints(Database database, Path dataDir, Metrics metrics, BooleanSupplier stopping) {
        this.database = database;
        this.dataDir = dataDir;
        this.metrics = metrics;
        this.stopping = stopping;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/healthz", this::health),
                Route.of("GET", "/readyz", this::ready),
                Route.of("GET", "/metrics", this::metrics));
    }

    /** The process is up and serving HTTP. */
    void health(Exchange ex) throws Exception {
        ex.status(200).sendText("text/plain; charset=utf-8", "ok\n");
    }

    /** The node can take traffic: database reachable, data directory writable, not shutting down. */
    void ready(Exchange ex) throws Exception {
        StringBuilder problems = new StringBuilder();
        if (stopping.getAsBoolean()) {
            problems.append("shutting down\n");
        }
        if (!database.isReachable()) {
            problems.append("database unreachable\n");
        }
        if (!Files.isWritable(dataDir)) {
            problems.append("data directory not writable\n");
        }
        if (problems.isEmpty()) {
            ex.status(200).sendText("text/plain; charset=utf-8", "ready\n");
        } else {
            ex.status(503).sendText("text/plain; charset=utf-8", problems.toString());
        }
    }

    void metrics(Exchange ex) throws Exception {
        ex.status(200).send(metrics.contentType(), metrics.scrape());
    }
}
