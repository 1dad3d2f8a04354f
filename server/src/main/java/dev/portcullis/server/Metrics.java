package dev.portcullis.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The server's Prometheus metrics, in a registry of its own (no global state). */
final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("portcullis_http_requests_total")
            .help("HTTP requests by route, method and status").labelNames("route", "method", "status")
            .register(registry);
    private final Histogram requestSeconds = Histogram.builder().name("portcullis_http_request_duration_seconds")
            .help("HTTP request duration by route").labelNames("route").register(registry);
    private final Counter bytesIn = Counter.builder().name("portcullis_http_received_bytes_total")
            .help("Request body bytes received").register(registry);
    private final Counter bytesOut = Counter.builder().name("portcullis_blob_sent_bytes_total")
            .help("Blob bytes sent").register(registry);
    private final Histogram uploadSeconds = Histogram.builder().name("portcullis_blob_upload_duration_seconds")
            .help("Duration of blob upload requests that close an upload").register(registry);
    private final Counter feedUpdateFailures = Counter.builder().name("portcullis_vulndb_update_failures_total")
            .help("Feed updates that failed (the database kept its previous state)").register(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Metrics() {
        JvmMetrics.builder().register(registry);
    }

    /**
     * Exposes the vulnerability database's state, read on each scrape: record count and age of each feed, and
     * whether each download source's last attempt failed. A stale or failing feed is then an alert, not a log line.
     */
    void vulnerabilityDatabase(java.util.function.Supplier<dev.portcullis.vulndb.DbStatus> status) {
        GaugeWithCallback.builder().name("portcullis_vulndb_feed_records")
                .help("Advisories per vulnerability feed").labelNames("feed")
                .callback(cb -> status.get().feeds().forEach(f -> cb.call(f.records(), f.name())))
                .register(registry);
        GaugeWithCallback.builder().name("portcullis_vulndb_feed_age_seconds")
                .help("Seconds since the last successful import of each vulnerability feed").labelNames("feed")
                .callback(cb -> {
                    var st = status.get();
                    st.feeds().forEach(f -> cb.call(
                            java.time.Duration.between(f.lastImport(), st.now()).toMillis() / 1000.0, f.name()));
                })
                .register(registry);
        GaugeWithCallback.builder().name("portcullis_vulndb_source_failing")
                .help("1 when the last download of a feed source failed (the database kept its previous state)")
                .labelNames("source")
                .callback(cb -> status.get().sources().forEach(
                        s -> cb.call(s.lastError() == null || s.lastError().isEmpty() ? 0 : 1, s.location())))
                .register(registry);
    }

    /**
     * The gate's state, read on each scrape from the database (so every node reports the same): images per team and
     * state, break-glass overrides in force, and the ones this node granted since it started. A break-glass is an
     * alert, not only an audit line.
     */
    void gate(dev.portcullis.gate.Gate gate) {
        GaugeWithCallback.builder().name("portcullis_gate_images")
                .help("Images the gate recorded, by team and state").labelNames("team", "state")
                .callback(cb -> gate.imagesByState().forEach((team, states) -> states.forEach(
                        (state, n) -> cb.call(n, team, state.id()))))
                .register(registry);
        GaugeWithCallback.builder().name("portcullis_gate_breakglass_active")
                .help("Break-glass overrides in force now (any node granted them)")
                .callback(cb -> cb.call(gate.activeBreakGlass())).register(registry);
        CounterWithCallback.builder().name("portcullis_gate_breakglass_granted")
                .help("Break-glass overrides this node granted since it started")
                .callback(cb -> cb.call(gate.breakGlassGranted())).register(registry);
    }

    /** The time of the last successful feed update (0 before the first), read on each scrape. */
    void feedUpdates(java.util.function.DoubleSupplier lastSuccessSeconds) {
        GaugeWithCallback.builder().name("portcullis_vulndb_last_update_success_seconds")
                .help("Unix time of the last successful vulnerability database update (0: none yet)")
                .callback(cb -> cb.call(lastSuccessSeconds.getAsDouble())).register(registry);
    }

    void feedUpdateFailed() {
        feedUpdateFailures.inc();
    }

    /** How much the blob mapping cache holds and how often pulls found their blob in it. */
    void blobMappings(MappedBlobs blobs) {
        GaugeWithCallback.builder().name("portcullis_blob_mapped_bytes")
                .help("Bytes of blob files kept memory-mapped between pulls (counted in the process's RSS when read)")
                .callback(cb -> cb.call(blobs.mappedBytes())).register(registry);
        CounterWithCallback.builder().name("portcullis_blob_mapping_lookups")
                .help("Blob pulls served from a kept mapping (hit) or not (miss)").labelNames("result")
                .callback(cb -> {
                    cb.call(blobs.hits(), "hit");
                    cb.call(blobs.misses(), "miss");
                })
                .register(registry);
    }

    void request(String route, String method, int status, double seconds, long received) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        requestSeconds.labelValues(route).observe(seconds);
        if (received > 0) {
            bytesIn.inc(received);
        }
    }

    void bytesOut(long n) {
        if (n > 0) {
            bytesOut.inc(n);
        }
    }

    void uploadSeconds(double seconds) {
        uploadSeconds.observe(seconds);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() throws IOException {
        var out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.DEFAULT);
        return out.toByteArray();
    }
}
