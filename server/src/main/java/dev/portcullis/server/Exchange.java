package dev.portcullis.server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;

/**
 * One HTTP request and its response, as a blocking handler sees them (handlers run on virtual threads). Exactly one
 * of the {@code send*} methods completes it.
 */
final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> pathParams;
    private Fields query;
    private boolean completed;
    private Principal principal = Principal.anonymous();
    private String requestId = "";

    Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParams = pathParams;
    }

    String method() {
        return request.getMethod();
    }

    boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    String path(String name) {
        return pathParams.get(name);
    }

    Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    java.util.List<String> queryValues(String name) {
        query(name);
        return query.getValuesOrEmpty(name);
    }

    /** Who is asking, as the router's guard established it. */
    Principal principal() {
        return principal;
    }

    void principal(Principal p) {
        this.principal = p;
    }

    String requestId() {
        return requestId;
    }

    void requestId(String id) {
        this.requestId = id;
    }

    /** The client's address (the proxy's view of it when the router was told to trust one). */
    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    RequestContext context(String source) {
        return new RequestContext(source, requestId);
    }

    /** Reads an {@code application/x-www-form-urlencoded} body of at most {@code max} bytes. */
    Fields form(int max) throws IOException {
        Fields fields = new Fields();
        UrlEncoded.decodeUtf8To(new String(bodyBytes(max), StandardCharsets.UTF_8), fields);
        return fields;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    java.util.List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** Declared body length, or -1 when the body is chunked or absent. */
    long contentLength() {
        return request.getLength();
    }

    InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /** Reads a small body whole, refusing more than {@code max} bytes. */
    byte[] bodyBytes(int max) throws IOException {
        try (InputStream in = body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new BodyTooLargeException(max);
            }
            return bytes;
        }
    }

    /** The body exceeded what the endpoint accepts. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final int limit;

        BodyTooLargeException(int limit) {
            super("body exceeds " + limit + " bytes");
            this.limit = limit;
        }
    }

    Exchange header(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    Exchange status(int status) {
        response.setStatus(status);
        return this;
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    boolean isCompleted() {
        return completed;
    }

    /** Sends {@code content} (or only its length on HEAD). */
    void send(String contentType, byte[] content) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
        if (isHead()) {
            response.write(true, null, callback);
        } else {
            Content.Sink.write(response, true, ByteBuffer.wrap(content));
            callback.succeeded();
        }
    }

    void sendJson(byte[] json) throws IOException {
        send("application/json", json);
    }

    void sendText(String contentType, String text) throws IOException {
        send(contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends an empty body with the status already set. */
    void sendEmpty() {
        completed = true;
        if (!response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        }
        response.write(true, null, callback);
    }

    /** Bytes of a file mapped at once while it is sent: bounds the mapped memory per download. */
    private static final long MAP_WINDOW = 4L << 20;
    /** Huge page size: windows start at multiples of it, see below. */
    private static final long HUGE_PAGE = 2L << 20;

    /**
     * Sends part of a file from memory-mapped windows: the socket write reads the page cache directly, with no copy
     * into a user-space buffer. Each window is unmapped as soon as it is written, so concurrent downloads hold at
     * most one window each in memory.
     *
     * <p>Windows start at multiples of 2 MiB in the file. Blob files are written in aligned 2 MiB pieces (the file
     * blob store's staging buffers), so the page cache holds them as huge folios; a window aligned with them is
     * mapped with one page-table entry per 2 MiB instead of 512, and setting up and tearing down the entries was a
     * third of a large pull's CPU time (docs/benchmarks.md).
     */
    void sendFile(Path file, long offset, long length) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead() || length == 0) {
            response.write(true, null, callback);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = offset + length;
            for (long position = offset; position < end; ) {
                long windowStart = position - position % HUGE_PAGE;
                long windowEnd = Math.min(windowStart + MAP_WINDOW, end);
                // A shared arena: Jetty may finish the write on a selector thread.
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart,
                            windowEnd - windowStart, arena);
                    // Blocks this virtual thread until the window is fully written, so unmapping it is safe.
                    Content.Sink.write(response, windowEnd == end,
                            window.asSlice(position - windowStart).asByteBuffer());
                }
                position = windowEnd;
            }
        }
        callback.succeeded();
    }

    /** Streams from an input stream (blob stores without local files). */
    void sendStream(InputStream in, long length) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead()) {
            in.close();
            response.write(true, null, callback);
            return;
        }
        try (in; var out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
        }
        callback.succeeded();
    }

    /** Writes a body of unknown length (chunked) as {@code writer} produces it. */
    @FunctionalInterface
    interface BodyWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    void sendStreaming(String contentType, BodyWriter writer) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        try (var out = Content.Sink.asOutputStream(response)) {
            writer.write(out);
        }
        callback.succeeded();
    }

    void fail(Throwable t) {
        completed = true;
        callback.failed(t);
    }
}
