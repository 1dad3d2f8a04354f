package dev.portcullis.server;

import dev.portcullis.auth.AuthException;
import dev.portcullis.registry.RegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each request to the first route whose template matches, maps failures to HTTP in one place
 * ({@link ErrorResponses}), and records one structured access-log line and metrics per request.
 * Handlers are blocking code: Jetty runs them on virtual threads.
 */
final class Router extends Handler.Abstract {
    private static final Logger ACCESS = LoggerFactory.getLogger("portcullis.access");
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final List<Route> routes;
    private final Metrics metrics;
    private final Guard guard;
    private final RequestAudit audit;
    private final BooleanSupplier stopping;
    private final boolean tls;

    Router(List<Route> routes, Metrics metrics, Guard guard, RequestAudit audit, boolean tls,
           BooleanSupplier stopping) {
        this.routes = List.copyOf(routes);
        this.metrics = metrics;
        this.guard = guard;
        this.audit = audit;
        this.tls = tls;
        this.stopping = stopping;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        String requestId = Optional.ofNullable(request.getHeaders().get("X-Request-Id"))
                .filter(id -> REQUEST_ID.matcher(id).matches()).orElseGet(() -> UUID.randomUUID().toString());
        response.getHeaders().put("X-Request-Id", requestId);
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        SecurityHeaders.apply(response, tls);

        Route route = null;
        Map<String, String> params = Map.of();
        boolean pathMatched = false;
        for (Route r : routes) {
            Optional<Map<String, String>> m = r.match(path);
            if (m.isPresent()) {
                pathMatched = true;
                if (r.method().equals(method)) {
                    route = r;
                    params = m.get();
                    break;
                }
            }
        }
        Exchange ex = new Exchange(request, response, callback, params);
        ex.requestId(requestId);
        String routeId = route == null ? "unmatched" : route.template();
        try {
            if (route == null) {
                int status = pathMatched ? 405 : 404;
                ex.status(status).sendJson(ErrorResponses.body("UNSUPPORTED", "the operation is unsupported",
                        pathMatched ? method + " is not supported on " + path : "no endpoint at " + path));
            } else {
                ex.principal(guard.authorize(route, ex));
                route.endpoint().handle(ex);
            }
        } catch (RegistryException e) {
            sendError(ex, () -> ErrorResponses.send(ex, e));
        } catch (Exchange.MalformedInputException e) {
            sendError(ex, () -> ErrorResponses.send(ex, e));
        } catch (AuthException e) {
            sendError(ex, () -> ErrorResponses.send(ex, e));
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            if (stopping.getAsBoolean()) {
                internalError(ex, requestId, routeId, e);
            } else if (clientWentAway(io)) {
                // Nothing can be answered on a broken connection; the storage kept or discarded what arrived.
                LOG.atDebug().addKeyValue("requestId", requestId).addKeyValue("error", io.toString())
                        .log("client went away");
                if (!ex.isCompleted()) {
                    ex.fail(io);
                }
            } else {
                internalError(ex, requestId, routeId, e);
            }
        } catch (Exception e) {
            internalError(ex, requestId, routeId, e);
        }
        int status = response.getStatus();
        if (route != null) {
            try {
                audit.record(route, ex, status);
            } catch (RuntimeException e) {
                // The response is already out; an audit write that fails must be loud, not swallowed.
                LOG.atError().addKeyValue("requestId", requestId).addKeyValue("route", routeId).setCause(e)
                        .log("audit entry could not be written");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long received = Math.max(ex.bodyBytesRead(), request.getLength());
        metrics.request(routeId, method, status, seconds, received);
        ACCESS.atInfo().addKeyValue("requestId", requestId).addKeyValue("method", method)
                .addKeyValue("path", path).addKeyValue("route", routeId).addKeyValue("status", status)
                .addKeyValue("ms", Math.round(seconds * 1000)).addKeyValue("remote",
                        Request.getRemoteAddr(request)).log("request");
        return true;
    }

    /**
     * Jetty reports a request body that ends before its announced length, or a peer that reset the connection, as an
     * end-of-file ({@link EofException} is also a {@link QuietException}), and a client that stops sending as an
     * idle timeout; anything else is a fault on our side.
     */
    private static boolean clientWentAway(IOException e) {
        return e instanceof EOFException || e instanceof QuietException || e.getCause() instanceof TimeoutException;
    }

    private void internalError(Exchange ex, String requestId, String routeId, Exception e) {
        if (stopping.getAsBoolean()) {
            // Past the drain timeout the server cuts off what still runs (storage is closing under it): that is the
            // stop the operator asked for, not a fault; the client is told to retry, the log gets one line.
            LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("route", routeId)
                    .addKeyValue("error", e.toString()).log("request cut off by shutdown");
            if (!ex.isCompleted()) {
                try {
                    ex.status(503).header("Retry-After", "10").sendJson(ErrorResponses.body("UNAVAILABLE",
                            "the server is shutting down", "retry; another node or the restarted server will answer"));
                } catch (IOException io) {
                    ex.fail(io);
                }
            }
            return;
        }
        LOG.atError().addKeyValue("requestId", requestId).addKeyValue("route", routeId).setCause(e)
                .log("request failed");
        if (!ex.isCompleted()) {
            try {
                ex.status(500).sendJson(ErrorResponses.body("UNKNOWN", "unknown error",
                        "internal error; quote request id " + requestId + " when reporting it"));
            } catch (IOException io) {
                ex.fail(io);
            }
        }
    }

    /** Writes an error response through {@link ErrorResponses}. */
    @FunctionalInterface
    private interface ErrorSend {
        void send() throws IOException;
    }

    /** Answers a refused request unless the handler already completed the response. */
    private static void sendError(Exchange ex, ErrorSend send) {
        if (ex.isCompleted()) {
            return;
        }
        try {
            send.send();
        } catch (IOException io) {
            ex.fail(io);
        }
    }
}
