package dev.portcullis.vulndb.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Downloads a feed over HTTP(S) with a conditional GET ({@code If-None-Match}, {@code If-Modified-Since}), into a
 * file the caller owns, bounded in size. Anything but 200 or 304 is a {@link FeedException}.
 */
public final class FeedDownloader {
    /** The outcome: not modified since the validators, or downloaded with the new validators. */
    public record Result(boolean notModified, String etag, String lastModified) {
    }

    private final HttpClient http;
    private final long maxBytes;
    private final Duration timeout;

    public FeedDownloader(HttpClient http, long maxBytes, Duration timeout) {
        this.http = http;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    public Result fetch(URI uri, String etag, String lastModified, Path target) {
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new FeedException("not an HTTP(S) URL: " + uri);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (etag != null && !etag.isEmpty()) {
            request.header("If-None-Match", etag);
        }
        if (lastModified != null && !lastModified.isEmpty()) {
            request.header("If-Modified-Since", lastModified);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 304) {
                    return new Result(true, etag, lastModified);
                }
                if (response.statusCode() != 200) {
                    throw new FeedException("HTTP " + response.statusCode() + " from " + uri);
                }
                copyBounded(body, target, uri);
                return new Result(false, response.headers().firstValue("ETag").orElse(""),
                        response.headers().firstValue("Last-Modified").orElse(""));
            }
        } catch (IOException e) {
            throw new FeedException("download of " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException("download of " + uri + " interrupted", e);
        }
    }

    private void copyBounded(InputStream in, Path target, URI uri) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new FeedException(uri + " is larger than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
