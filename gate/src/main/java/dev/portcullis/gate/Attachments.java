package dev.portcullis.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.registry.Registry;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.report.CycloneDxReport;
import dev.portcullis.scanner.report.Tool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SBOM and the verdict report of an image, attached as OCI referrers (artifact manifests whose {@code subject} is
 * the image) in its unscanned/ repository, so any OCI client finds them with the referrers API; promotion links them
 * into scanned/ with the image.
 */
final class Attachments {
    /** CycloneDX's registered media type: what clients (and {@code oras discover}) look for. */
    static final String SBOM_TYPE = "application/vnd.cyclonedx+json";
    static final String REPORT_TYPE = "application/vnd.portcullis.verdict.v1+json";
    private static final Tool TOOL = Tool.portcullis(release());
    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private final Registry registry;
    private final java.time.Clock clock;

    Attachments(Registry registry, java.time.Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    private static String release() {
        String v = Attachments.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Attaches the CycloneDX 1.6 SBOM of a scanned image, unless one is attached already; returns its digest. */
    Digest sbom(RepositoryName repository, Digest image, String imageMediaType, long imageSize, ScanResult result) {
        List<Digest> existing = referrers(repository, image, SBOM_TYPE);
        if (!existing.isEmpty()) {
            return existing.getFirst();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // The serial number is derived from the image, so the same image always has the same SBOM identity.
            UUID serial = UUID.nameUUIDFromBytes(image.toString().getBytes(StandardCharsets.UTF_8));
            new CycloneDxReport(TOOL, () -> serial).write(result, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return attach(repository, image, imageMediaType, imageSize, SBOM_TYPE, out.toByteArray());
    }

    /** Attaches a verdict report (JSON); every verdict gets its own. Returns its digest. */
    Digest report(RepositoryName repository, Digest image, String imageMediaType, long imageSize, JsonNode report) {
        return attach(repository, image, imageMediaType, imageSize, REPORT_TYPE, Json.write(report));
    }

    /** The gate's referrers of {@code image} of one artifact type in {@code repository}, oldest digest order. */
    List<Digest> referrers(RepositoryName repository, Digest image, String artifactType) {
        JsonNode index = Json.parse(registry.referrers(repository, image, Optional.of(artifactType)));
        List<Digest> out = new ArrayList<>();
        for (JsonNode d : index.path("manifests")) {
            out.add(Digest.parse(d.path("digest").asText()));
        }
        return out;
    }

    private Digest attach(RepositoryName repository, Digest image, String imageMediaType, long imageSize,
                          String artifactType, byte[] content) {
        Digest blob = Digest.sha256(content);
        registry.putBlob(repository, blob.toString(), new ByteArrayInputStream(content));
        Digest empty = Digest.sha256(EMPTY);
        registry.putBlob(repository, empty.toString(), new ByteArrayInputStream(EMPTY));
        ObjectNode m = Json.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaType.OCI_MANIFEST);
        m.put("artifactType", artifactType);
        m.putObject("config").put("mediaType", MediaType.OCI_EMPTY).put("digest", empty.toString())
                .put("size", EMPTY.length);
        m.putArray("layers").addObject().put("mediaType", artifactType).put("digest", blob.toString())
                .put("size", content.length);
        m.putObject("subject").put("mediaType", imageMediaType).put("digest", image.toString()).put("size", imageSize);
        m.putObject("annotations").put("org.opencontainers.image.created", clock.instant().toString())
                .put("dev.portcullis.kind", artifactType.equals(SBOM_TYPE) ? "sbom" : "verdict");
        byte[] bytes = Json.write(m);
        Digest manifest = Digest.sha256(bytes);
        registry.putManifest(repository, manifest.toString(), MediaType.OCI_MANIFEST, bytes);
        return manifest;
    }
}
