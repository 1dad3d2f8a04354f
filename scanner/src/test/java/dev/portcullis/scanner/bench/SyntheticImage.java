package dev.portcullis.scanner.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI layout with one zstd layer of about {@code mib} MiB of files (half random binaries, half text
 * of the kind analyzers read: package.json, properties, shell scripts), for the memory bound of a large image.
 */
final class SyntheticImage {
    private static final int FILE = 256 << 10;

    private SyntheticImage() {
    }

    static Path write(Path dir, int mib) throws IOException {
        Path blobs = dir.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        Path tmp = dir.resolve("layer.tmp");
        MessageDigest compressed = Digest.Algorithm.SHA256.newMessageDigest();
        MessageDigest raw = Digest.Algorithm.SHA256.newMessageDigest();
        Random random = new Random(42);
        byte[] text = ("{\"name\":\"pkg\",\"version\":\"1.0.0\",\"description\":\"synthetic\"}\n"
                + "export PATH=/usr/local/bin:$PATH\nlog.level=INFO\n").repeat(FILE / 100)
                .getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[FILE];
        try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)),
                compressed);
             ZstdOutputStream zstd = new ZstdOutputStream(file, 1);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(zstd, raw))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int files = (int) ((long) mib * (1 << 20) / FILE);
            for (int i = 0; i < files; i++) {
                boolean isText = i % 2 == 0;
                String name = isText ? "app/node_modules/p" + i + "/package.json" : "usr/lib/bin" + i + ".so";
                byte[] content = isText ? java.util.Arrays.copyOf(text, FILE) : binary;
                if (!isText) {
                    random.nextBytes(binary);
                }
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(content.length);
                e.setMode(isText ? 0100644 : 0100755);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        String layerHex = HexFormat.of().formatHex(compressed.digest());
        long layerSize = Files.size(tmp);
        Files.move(tmp, blobs.resolve(layerHex));
        ObjectNode config = Json.object();
        config.put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids")
                .add("sha256:" + HexFormat.of().formatHex(raw.digest()));
        byte[] configBytes = Json.write(config);
        Digest configDigest = put(blobs, configBytes);
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest.toString()).put("size", configBytes.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+zstd")
                .put("digest", "sha256:" + layerHex).put("size", layerSize);
        byte[] manifestBytes = Json.write(manifest);
        Digest manifestDigest = put(blobs, manifestBytes);
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", manifestDigest.toString()).put("size", manifestBytes.length);
        Files.write(dir.resolve("index.json"), Json.write(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return dir;
    }

    private static Digest put(Path blobs, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Files.write(blobs.resolve(d.encoded()), bytes);
        return d;
    }
}
