package dev.portcullis.scanner.analyzer;

import dev.portcullis.oci.Digest;
import java.io.InputStream;

/**
 * One regular file of one layer as an analyzer sees it. {@code content} is bounded by the scanner's limits and
 * must not be closed by the analyzer; it is valid only during {@link Analyzer#analyze}.
 *
 * @param layer the digest of the (compressed) layer blob the file comes from
 * @param path  normalised path relative to the image root, e.g. {@code var/lib/dpkg/status}
 * @param mode  Unix permission bits including setuid/setgid/sticky (e.g. {@code 04755})
 */
public record LayerFile(Digest layer, String path, long size, int mode, InputStream content) {
}
