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
    private long bodyBytesRead; // written by the handler's thread only

    Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParams = pathParams;
    }

    boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    String path(String name) {
        return pathParams.get(name);
    }

    Optional<String> query(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (IllegalArgumentException | IllegalStateException e) { // Jetty's "400: Bad query", bad UTF-8
                throw new MalformedInputException("the query string is not valid: each '%' must be followed by two"
                        + " hex digits, and the decoded bytes must be UTF-8");
            }
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

    /** Reads an {@code application/x-www-form-urlencoded} body of at most {@code max} bytes. */
    Fields form(int max) throws IOException {
        Fields fields = new Fields();
        try {
            UrlEncoded.decodeUtf8To(new String(bodyBytes(max), StandardCharsets.UTF_8), fields);
        } catch (IllegalArgumentException | IllegalStateException e) { // bad percent-encoding or UTF-8
            throw new MalformedInputException("the form body is not valid application/x-www-form-urlencoded: each"
                    + " '%' must be followed by two hex digits, and the decoded bytes must be UTF-8");
        }
        return fields;
    }

    /**
     * A query string or form body that cannot be decoded at all: a 400 in the error vocabulary of the API it was
     * sent to ({@link ErrorResponses#send(Exchange, MalformedInputException)}).
     */
    static final class MalformedInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedInputException(String message) {
            super(message);
        }
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
        return new java.io.FilterInputStream(Content.Source.asInputStream(request)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bodyBytesRead++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bodyBytesRead += n;
                }
                return n;
            }
        };
    }

    /** Body bytes the handler read: the received size also of chunked bodies, which announce no length. */
    long bodyBytesRead() {
        return bodyBytesRead;
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

        BodyTooLargeException(int limit) {
            super("body exceeds " + limit + " bytes");
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

    /** Bytes of a file mapped at once while it is sent uncached: bounds the mapped memory of such a download. */
    private static final long MAP_WINDOW = 4L << 20;

    /**
     * Sends part of a blob file from a memory mapping: the socket write reads the page cache directly, with no copy
     * into a user-space buffer. A blob the cache keeps (or can keep) is written from that mapping; any other is
     * mapped in windows, each unmapped as soon as it is written, so such a download holds one window at a time.
     */
    void sendFile(MappedBlobs cache, Path file, long fileSize, long offset, long length) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (length == 0) {
            response.write(true, null, callback);
            return;
        }
        try (MappedBlobs.Lease lease = cache.lease(file, fileSize)) {
            if (lease != null) {
                write(lease.segment(), offset, length, true);
                callback.succeeded();
                return;
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = offset + length;
            for (long position = offset; position < end; ) {
                long n = Math.min(MAP_WINDOW, end - position);
                // A shared arena: Jetty may finish the write on a selector thread.
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment window = channel.map(FileChannel.MapMode.READ_ONLY, position, n, arena);
                    write(window, 0, n, position + n == end);
                }
                position += n;
            }
        }
        callback.succeeded();
    }

    /**
     * Writes bytes {@code [offset, offset + length)} of a mapping, 4 MiB per write (as fast as larger writes in the
     * benchmark, and within a ByteBuffer's 2 GiB). Blocks this virtual thread until Jetty has written them, so the
     * mapping may be released afterwards.
     */
    private void write(MemorySegment segment, long offset, long length, boolean endsResponse) throws IOException {
        long end = offset + length;
        for (long position = offset; position < end; ) {
            long n = Math.min(MAP_WINDOW, end - position);
            Content.Sink.write(response, endsResponse && position + n == end,
                    segment.asSlice(position, n).asByteBuffer());
            position += n;
        }
    }

    /** Streams from an input stream (blob stores without local files). */
    void sendStream(InputStream in, long length) throws IOException {
        completed = true;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
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
