package dev.portcullis.scanner.testing;

import com.github.luben.zstd.ZstdOutputStream;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.oci.MediaType;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.SourceImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars and small in-memory images for tests. */
public final class TestLayers {
    private TestLayers() {
    }

    /** A tar being built; entries are written in the order added. */
    public static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        public Tar() {
            tar = new TarArchiveOutputStream(bytes);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        public Tar file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
        }

        public Tar file(String path, byte[] content, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(path, true);
            e.setSize(content.length);
            e.setMode(0100000 | mode);
            return put(e, content);
        }

        /** A file carrying an extra PAX header record, e.g. a huge {@code comment}. */
        public Tar fileWithPax(String path, String paxKey, String paxValue) {
            TarArchiveEntry e = new TarArchiveEntry(path, true);
            e.setSize(0);
            e.setMode(0100644);
            e.addPaxHeader(paxKey, paxValue);
            return put(e, new byte[0]);
        }

        public Tar dir(String path) {
            TarArchiveEntry e = new TarArchiveEntry(path.endsWith("/") ? path : path + "/", true);
            e.setMode(040755);
            return put(e, null);
        }

        public Tar symlink(String path, String target) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            return put(e, null);
        }

        public Tar hardlink(String path, String target) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            return put(e, null);
        }

        public Tar whiteout(String path) {
            int slash = path.lastIndexOf('/');
            return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0], 0644);
        }

        public Tar opaque(String dir) {
            return file(dir + "/.wh..wh..opq", new byte[0], 0644);
        }

        private Tar put(TarArchiveEntry e, byte[] content) {
            try {
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return this;
        }

        public byte[] bytes() {
            try {
                tar.finish();
                tar.close();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return bytes.toByteArray();
        }

        public byte[] gzip() {
            return TestLayers.gzip(bytes());
        }

        public byte[] zstd() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream z = new ZstdOutputStream(out)) {
                z.write(bytes());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return out.toByteArray();
        }
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }

    /** An image made of the given compressed layer blobs (bottom first) and a configuration JSON. */
    public static Image image(String configJson, byte[]... layers) {
        return new Image(configJson, List.of(layers));
    }

    /** An in-memory single-platform image, usable as an {@link ImageSource}. */
    public static final class Image implements ImageSource {
        private final Map<Digest, byte[]> blobs = new HashMap<>();
        private final SourceImage image;

        Image(String configJson, List<byte[]> layers) {
            byte[] config = configJson.getBytes(StandardCharsets.UTF_8);
            List<Descriptor> descriptors = new ArrayList<>();
            for (byte[] layer : layers) {
                Digest d = Digest.sha256(layer);
                blobs.put(d, layer);
                descriptors.add(new Descriptor(MediaType.OCI_LAYER_GZIP, d, layer.length));
            }
            image = new SourceImage(Digest.sha256(("manifest" + configJson).getBytes(StandardCharsets.UTF_8)),
                    Digest.sha256(config), "linux/amd64", ImageConfig.parse(config), descriptors);
        }

        public SourceImage sourceImage() {
            return image;
        }

        @Override
        public String reference() {
            return "test:image";
        }

        @Override
        public List<SourceImage> images(String platform) {
            return List.of(image);
        }

        @Override
        public InputStream open(Descriptor blob) {
            return new ByteArrayInputStream(blobs.get(blob.digest()));
        }

        @Override
        public void close() {
        }
    }

    public static final String CONFIG = """
            {"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]}}""";
}
