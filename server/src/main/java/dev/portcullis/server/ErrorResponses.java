package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.auth.AuthException;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.RegistryException;
import java.io.IOException;
import java.util.Optional;

/**
 * The one place where failures become HTTP responses: the spec's JSON error body
 * ({@code {"errors":[{"code","message","detail"}]}}) with the code's status and any headers it requires.
 */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static void send(Exchange ex, RegistryException e) throws IOException {
        ErrorCode code = e.code();
        e.headers().forEach(ex::header);
        if (code == ErrorCode.RANGE_INVALID) {
            // An out-of-order chunk leaves the upload intact: tell the client where to continue (the request URL).
            ex.header("Location", ex.request().getHttpURI().getPath());
        }
        if (code == ErrorCode.UNAUTHORIZED && ex.response().getHeaders().get("WWW-Authenticate") == null) {
            ex.header("WWW-Authenticate", "Basic realm=\"portcullis\"");
        }
        ex.status(code.status()).sendJson(body(code.wireCode(), code.message(), e.detail()));
    }

    /** Identity and management failures, in the same JSON shape as registry errors. */
    static void send(Exchange ex, AuthException e) throws IOException {
        int status = switch (e.reason()) {
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case LOCKED -> 429;
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
        String code = switch (e.reason()) {
            case UNAUTHORIZED -> ErrorCode.UNAUTHORIZED.name();
            case FORBIDDEN -> ErrorCode.DENIED.name();
            case LOCKED -> ErrorCode.TOOMANYREQUESTS.name();
            case INVALID -> "INVALID";
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> "CONFLICT";
        };
        e.retryAfter().ifPresent(d -> ex.header("Retry-After", String.valueOf(Math.max(1, d.toSeconds()))));
        if (e.reason() == AuthException.Reason.UNAUTHORIZED) {
            ex.header("WWW-Authenticate", "Basic realm=\"portcullis\"");
        }
        ex.status(status).sendJson(body(code, e.getMessage(), null));
    }

    /**
     * A query string or form that cannot be decoded: the spec's error under {@code /v2/} (UNSUPPORTED, "invalid set
     * of parameters", answered 400), the API's INVALID elsewhere.
     */
    static void send(Exchange ex, Exchange.MalformedInputException e) throws IOException {
        if (isRegistryPath(ex.request().getHttpURI().getPath())) {
            send(ex, new RegistryException(ErrorCode.PARAMETER_INVALID, e.getMessage()));
        } else {
            send(ex, new AuthException(AuthException.Reason.INVALID, e.getMessage()));
        }
    }

    /**
     * The body of an error Jetty raises itself, before any route runs (a malformed URI, headers or URI too large, a
     * bad Host): the same JSON shape, with a spec code under {@code /v2/} and the API's code elsewhere. When Jetty
     * could not read the request target at all ({@code path} empty), the code is UNSUPPORTED, which both use.
     */
    static byte[] protocolError(Optional<String> path, int status, String reason) {
        boolean registry = path.map(ErrorResponses::isRegistryPath).orElse(true);
        String code = switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED.name();
            case 403 -> ErrorCode.DENIED.name();
            case 405 -> ErrorCode.UNSUPPORTED.name();
            case 429 -> ErrorCode.TOOMANYREQUESTS.name();
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "UNKNOWN" : registry ? ErrorCode.UNSUPPORTED.name() : "INVALID";
        };
        String message = switch (status) {
            case 400 -> "the request is malformed";
            case 413 -> "the request body is larger than this server accepts";
            case 414 -> "the request URI is longer than this server accepts";
            case 431 -> "the request headers are larger than this server accepts";
            case 503 -> "the server is shutting down or overloaded; retry shortly";
            default -> "the request was refused";
        };
        String detail = reason == null || reason.isBlank() ? message : reason;
        if (path.isEmpty() && status == 400) {
            detail += ": the request target is not a path this server reads (no encoded '/' or '\\', no '..' above"
                    + " the root, no control characters such as %00, and each '%' followed by two hex digits)";
        }
        return body(code, message, detail);
    }

    private static boolean isRegistryPath(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    static byte[] body(String code, String message, String detail) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("code", code);
        error.put("message", message);
        if (detail != null) {
            error.put("detail", detail);
        }
        return Json.write(root);
    }
}
