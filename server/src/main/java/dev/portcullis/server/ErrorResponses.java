package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.auth.AuthException;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.RegistryException;
import java.io.IOException;

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

    /** The gate's refusals, in the same JSON shape. */
    static void send(Exchange ex, dev.portcullis.gate.GateException e) throws IOException {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case INVALID -> 400;
        };
        String code = switch (e.reason()) {
            case NOT_FOUND -> "NOT_FOUND";
            case FORBIDDEN -> ErrorCode.DENIED.name();
            case INVALID -> "INVALID";
        };
        String message = switch (e.reason()) {
            case NOT_FOUND -> "not found";
            case FORBIDDEN -> "requested access to the resource is denied";
            case INVALID -> "the request is invalid";
        };
        ex.status(status).sendJson(body(code, message, e.getMessage()));
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
