package dev.portcullis.server;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself, before the router runs (an ambiguous or undecodable URI, a URI or headers
 * too large, a bad Host, a request refused while stopping), with the same JSON error body as every other error
 * ({@link ErrorResponses#protocolError}) and the same security headers; never an HTML page, never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** What Jetty's HTTP/1.1 connection puts in place of a target it could not parse. */
    private static final Set<String> JETTY_PLACEHOLDERS = Set.of("/badMessage", "/badURI");

    private final boolean tls;

    JsonErrorHandler(boolean tls) {
        this.tls = tls;
        setShowStacks(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SecurityHeaders.apply(response, tls);
        return super.handle(request, response, callback);
    }

    /** Jetty's default writes no body for PUT, PATCH or DELETE; registry clients read the body of every error. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = ErrorResponses.protocolError(target(request), code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The body of a request that could not be parsed far enough to have a path. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(ErrorResponses.protocolError(Optional.empty(), status, reason));
    }

    /**
     * The path the client asked for; empty when Jetty refused the request line itself and stood in its own
     * placeholder target for the error request.
     */
    private static Optional<String> target(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        return path == null || JETTY_PLACEHOLDERS.contains(path) ? Optional.empty() : Optional.of(path);
    }
}
