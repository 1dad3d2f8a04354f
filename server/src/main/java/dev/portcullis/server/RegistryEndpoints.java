package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.Registry;
import dev.portcullis.registry.RegistryException;
import dev.portcullis.storage.BlobStore.BlobInfo;
import dev.portcullis.storage.MetadataStore.StoredManifest;
import dev.portcullis.storage.UploadId;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The handlers of the OCI Distribution endpoints; {@link RegistryRoutes} lists which path each one serves. */
final class RegistryEndpoints {
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes )?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final Registry registry;
    private final Metrics metrics;
    private final MappedBlobs mappedBlobs;
    private final UploadSlots uploadSlots;
    private final Clients clients;
    private final ServerConfig.Protection protection;

    RegistryEndpoints(Registry registry, Metrics metrics, MappedBlobs mappedBlobs, int maxConcurrentUploads,
                      Clients clients, ServerConfig.Protection protection) {
        this.registry = registry;
        this.metrics = metrics;
        this.mappedBlobs = mappedBlobs;
        this.uploadSlots = new UploadSlots(maxConcurrentUploads, protection.uploadsPerClient());
        this.clients = clients;
        this.protection = protection;
    }

    private static RepositoryName name(Exchange ex) {
        return Registry.name(ex.path("name"));
    }

    // ---- base -------------------------------------------------------------------------------------------------

    void base(Exchange ex) throws Exception {
        ex.status(200).sendJson("{}".getBytes(StandardCharsets.UTF_8));
    }

    // ---- uploads ----------------------------------------------------------------------------------------------

    private static String uploadLocation(RepositoryName name, String id) {
        return "/v2/" + name + "/blobs/uploads/" + id;
    }

    private static String range(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    void startUpload(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        Optional<String> mount = ex.query("mount");
        Optional<String> digest = ex.query("digest");
        if (mount.isPresent()) {
            Digest d = Registry.digest(mount.get());
            Optional<String> from = ex.query("from");
            if (from.isPresent()) {
                Optional<BlobInfo> mounted = registry.mount(name, Registry.name(from.get()), d);
                if (mounted.isPresent()) {
                    ex.status(201).header("Location", "/v2/" + name + "/blobs/" + d)
                            .header("Docker-Content-Digest", d.toString()).sendEmpty();
                    return;
                }
            }
            // The source does not hold it: fall back to a normal upload, as the spec says.
        } else if (digest.isPresent()) {
            BlobInfo info = withUploadSlot(ex, body -> timedUpload(() -> registry.putBlob(name, digest.get(), body)));
            ex.status(201).header("Location", "/v2/" + name + "/blobs/" + info.digest())
                    .header("Docker-Content-Digest", info.digest().toString()).sendEmpty();
            return;
        }
        UploadId id = registry.startUpload(name);
        ex.status(202).header("Location", uploadLocation(name, id.value())).header("Range", "0-0")
                .header("Docker-Upload-UUID", id.value()).sendEmpty();
    }

    void uploadStatus(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        long size = registry.uploadStatus(name, ex.path("uuid"));
        ex.status(204).header("Location", uploadLocation(name, ex.path("uuid"))).header("Range", range(size))
                .header("Docker-Upload-UUID", ex.path("uuid")).sendEmpty();
    }

    void uploadChunk(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        String id = ex.path("uuid");
        Optional<Long> start = contentRangeStart(ex);
        long size = withUploadSlot(ex, body -> registry.appendChunk(name, id, start, body));
        ex.status(202).header("Location", uploadLocation(name, id)).header("Range", range(size))
                .header("Docker-Upload-UUID", id).sendEmpty();
    }

    void completeUpload(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        String id = ex.path("uuid");
        Optional<Long> start = contentRangeStart(ex);
        String digest = ex.query("digest").orElse(null);
        BlobInfo info = withUploadSlot(ex, body -> timedUpload(() -> registry.completeUpload(name, id, digest, start,
                ex.contentLength() == 0 ? new ByteArrayInputStream(new byte[0]) : body)));
        ex.status(201).header("Location", "/v2/" + name + "/blobs/" + info.digest())
                .header("Docker-Content-Digest", info.digest().toString()).sendEmpty();
    }

    void cancelUpload(Exchange ex) throws Exception {
        registry.cancelUpload(name(ex), ex.path("uuid"));
        ex.status(204).sendEmpty();
    }

    private static Optional<Long> contentRangeStart(Exchange ex) {
        Optional<String> header = ex.header("Content-Range");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "Content-Range '" + header.get()
                    + "' must have the form <start>-<end>");
        }
        long start = byteNumber(m.group(1));
        long end = byteNumber(m.group(2));
        if (end < start) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range end " + end + " is before start "
                    + start);
        }
        long length = ex.contentLength();
        long announced = end - start + 1; // overflows only when the range spans every long (end past Long.MAX)
        if (length >= 0 && announced <= 0) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Range '" + header.get().trim()
                    + "' announces more bytes than any upload can hold, but Content-Length is " + length);
        }
        if (length >= 0 && length != announced) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Range " + start + "-" + end + " announces "
                    + announced + " bytes but Content-Length is " + length);
        }
        return Optional.of(start);
    }

    /** Work that may fail with a registry error or an I/O error. */
    @FunctionalInterface
    private interface UploadWork<T> {
        T run() throws Exception;
    }

    /** Work on an upload body. */
    @FunctionalInterface
    private interface BodyWork<T> {
        T run(InputStream body) throws Exception;
    }

    /**
     * Runs {@code work} in one of the caller's upload slots, on a body that must keep up the minimum rate: while it
     * is read, the connection's idle timeout is the rate's grace period, so a stalled body ends then, not minutes
     * later.
     */
    private <T> T withUploadSlot(Exchange ex, BodyWork<T> work) throws Exception {
        try (UploadSlots.Slot slot = uploadSlots.acquire(ex.principal(), clients.source(ex))) {
            if (protection.minUploadRate().bytes() == 0) {
                return work.run(ex.body());
            }
            org.eclipse.jetty.io.EndPoint endPoint = ex.request().getConnectionMetaData().getConnection()
                    .getEndPoint();
            long idleTimeout = endPoint.getIdleTimeout();
            endPoint.setIdleTimeout(protection.uploadRateGrace().toMillis());
            try {
                return work.run(new MinimumRateBody(ex.body(), protection.minUploadRate().bytes(),
                        protection.uploadRateGrace()));
            } finally {
                endPoint.setIdleTimeout(idleTimeout);
            }
        }
    }

    private <T> T timedUpload(UploadWork<T> work) throws Exception {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            metrics.uploadSeconds((System.nanoTime() - start) / 1e9);
        }
    }

    // ---- blobs ------------------------------------------------------------------------------------------------

    void getBlob(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        Digest digest = Registry.digest(ex.path("digest"));
        BlobInfo info = registry.blob(name, digest);
        long size = info.size();
        long offset = 0;
        long length = size;
        int status = 200;
        Optional<String> rangeHeader = ex.header("Range");
        if (rangeHeader.isPresent() && !ex.isHead()) {
            Matcher m = RANGE.matcher(rangeHeader.get().trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long first;
                long last;
                if (m.group(1).isEmpty()) { // suffix range: the last N bytes
                    long n = byteNumber(m.group(2));
                    first = Math.max(0, size - n);
                    last = size - 1;
                } else {
                    first = byteNumber(m.group(1));
                    last = m.group(2).isEmpty() ? size - 1 : Math.min(byteNumber(m.group(2)), size - 1);
                }
                if (first >= size || last < first) {
                    ex.status(416).header("Content-Range", "bytes */" + size).sendEmpty();
                    return;
                }
                offset = first;
                length = last - first + 1;
                status = 206;
                ex.header("Content-Range", "bytes " + first + "-" + last + "/" + size);
            }
        }
        ex.status(status).header("Docker-Content-Digest", digest.toString()).header("Accept-Ranges", "bytes")
                .header("Content-Type", "application/octet-stream").header("Content-Length", Long.toString(length));
        if (ex.isHead()) { // answered from the metadata: no file opened, no object store read started
            ex.sendEmpty();
            return;
        }
        Optional<Path> file = registry.blobFile(digest);
        if (file.isPresent()) {
            ex.sendFile(mappedBlobs, file.get(), size, offset, length);
        } else {
            ex.sendStream(registry.openBlob(digest, offset, length), length);
        }
        metrics.bytesOut(length);
    }

    /**
     * A byte position from a Range or Content-Range header. Digits beyond what a long holds mean "past any blob"
     * (RFC 9110 lets a client ask for more than there is), not a server error.
     */
    private static long byteNumber(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    void deleteBlob(Exchange ex) throws Exception {
        registry.deleteBlob(name(ex), Registry.digest(ex.path("digest")));
        ex.status(202).sendEmpty();
    }

    // ---- manifests --------------------------------------------------------------------------------------------

    void putManifest(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        int limit = registry.limits().maxManifestBytes();
        if (ex.contentLength() > limit) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_BIG, "manifest is " + ex.contentLength()
                    + " bytes; the limit is " + limit + " bytes");
        }
        byte[] content;
        try {
            content = ex.bodyBytes(limit);
        } catch (Exchange.BodyTooLargeException e) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_BIG, "manifest exceeds the limit of " + limit
                    + " bytes");
        }
        Registry.PutResult result = registry.putManifest(name, ex.path("reference"),
                ex.header("Content-Type").orElse(null), content);
        ex.status(201).header("Location", "/v2/" + name + "/manifests/" + result.digest())
                .header("Docker-Content-Digest", result.digest().toString());
        result.subject().ifPresent(s -> ex.header("OCI-Subject", s.toString()));
        ex.sendEmpty();
    }

    void getManifest(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        StoredManifest m = registry.manifest(name, ex.path("reference"));
        List<String> accepted = acceptedTypes(ex);
        if (!accepted.isEmpty() && !accepted.contains(m.mediaType()) && !accepted.contains("*/*")
                && !accepted.contains("application/*")) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + ex.path("reference") + " is a "
                    + m.mediaType() + ", which the Accept header does not allow");
        }
        ex.status(200).header("Docker-Content-Digest", m.digest().toString())
                .send(m.mediaType(), m.content());
    }

    private static List<String> acceptedTypes(Exchange ex) {
        List<String> out = new java.util.ArrayList<>();
        for (String value : ex.headerValues("Accept")) {
            for (String part : value.split(",")) {
                String t = ManifestParser.stripParameters(part);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    void deleteManifest(Exchange ex) throws Exception {
        registry.deleteManifest(name(ex), ex.path("reference"));
        ex.status(202).sendEmpty();
    }

    // ---- discovery --------------------------------------------------------------------------------------------

    private static int pageSize(Exchange ex) {
        Optional<String> n = ex.query("n");
        if (n.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        try {
            int value = Integer.parseInt(n.get());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.PARAMETER_INVALID, "n must be a non-negative integer, got '" + n.get()
                    + "'");
        }
    }

    void tags(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        int n = pageSize(ex);
        // n=0 still answers NAME_UNKNOWN for an unknown repository
        List<String> tags = registry.tags(name, ex.query("last"), n);
        ObjectNode body = Json.object();
        body.put("name", name.value());
        ArrayNode array = body.putArray("tags");
        tags.forEach(array::add);
        nextPage("/v2/" + name + "/tags/list", n, tags).ifPresent(link -> ex.header("Link", link));
        ex.status(200).sendJson(Json.write(body));
    }

    void catalog(Exchange ex) throws Exception {
        int n = pageSize(ex);
        List<String> repos = registry.catalog(ex.query("last"), n).stream().map(RepositoryName::value).toList();
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("repositories");
        repos.forEach(array::add);
        nextPage("/v2/_catalog", n, repos).ifPresent(link -> ex.header("Link", link));
        ex.status(200).sendJson(Json.write(body));
    }

    /**
     * The {@code Link} to the next page when this one is full, also when the client gave no {@code n} and the
     * server's page limit cut the list: a client must never take a capped list for the whole.
     */
    private Optional<String> nextPage(String path, int n, List<String> page) {
        int limit = Math.min(n, registry.limits().maxPageSize());
        if (limit == 0 || page.size() < limit) {
            return Optional.empty();
        }
        return Optional.of("<" + path + "?n=" + limit + "&last="
                + URLEncoder.encode(page.getLast(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
    }

    void referrers(Exchange ex) throws Exception {
        RepositoryName name = name(ex);
        Digest subject = Registry.digest(ex.path("digest"));
        Optional<String> artifactType = ex.query("artifactType");
        byte[] index = registry.referrers(name, subject, artifactType);
        artifactType.ifPresent(t -> ex.header("OCI-Filters-Applied", "artifactType"));
        ex.status(200).send(MediaType.OCI_INDEX, index);
    }
}
