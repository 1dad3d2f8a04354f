package dev.portcullis.scanner.source;

import dev.portcullis.oci.Descriptor;
import java.nio.file.Path;

/**
 * Opens an image reference in skopeo's transport syntax: {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]},
 * {@code docker-archive:FILE[:REPO:TAG]} and {@code docker://HOST/NAME[:TAG|@DIGEST]}.
 */
public final class ImageSources {
    private ImageSources() {
    }

    /** Opens a local reference, or a registry one anonymously over HTTPS. */
    public static ImageSource open(String reference) throws SourceException {
        return open(reference, RegistryCredentials.none(), false);
    }

    /**
     * @param credentials for {@code docker://} references
     * @param plainHttp   talk plain HTTP to registries (local test registries only)
     */
    public static ImageSource open(String reference, RegistryCredentials credentials, boolean plainHttp)
            throws SourceException {
        if (reference.startsWith("docker://")) {
            String rest = reference.substring("docker://".length());
            return new RegistrySource(reference, RegistryReference.parse(rest), credentials, plainHttp);
        }
        int colon = reference.indexOf(':');
        if (colon <= 0) {
            throw new SourceException("'" + reference + "' has no transport; use oci:DIR[:TAG], "
                    + "oci-archive:FILE[:TAG], docker-archive:FILE or docker://HOST/NAME:TAG");
        }
        String transport = reference.substring(0, colon);
        String rest = reference.substring(colon + 1);
        return switch (transport) {
            case "oci" -> {
                String[] pt = pathAndTag(rest);
                yield new OciLayoutSource(reference, LayoutFiles.directory(Path.of(pt[0])), pt[1]);
            }
            case "oci-archive" -> {
                String[] pt = pathAndTag(rest);
                yield new OciLayoutSource(reference, LayoutFiles.archive(Path.of(pt[0])), pt[1]);
            }
            case "docker-archive" -> {
                // FILE[:REPO:TAG]; the repo part may itself contain a colon (host:port/name:tag)
                int split = rest.indexOf(':');
                String file = split < 0 ? rest : rest.substring(0, split);
                String tag = split < 0 ? null : rest.substring(split + 1);
                yield new DockerArchiveSource(reference, LayoutFiles.archive(Path.of(file)), tag);
            }
            default -> throw new SourceException("unknown transport '" + transport
                    + "'; use oci:, oci-archive:, docker-archive: or docker://");
        };
    }

    /**
     * An image in the registry's own view, named by the descriptor of its manifest or index: what the gate scans after
     * a push. Manifests and indexes come from {@code manifests} (the registry keeps them in its metadata database),
     * configurations and layers from {@code blobs}. {@code reference} is only for reports.
     */
    public static ImageSource fromStore(String reference, Descriptor manifest, ManifestReader manifests,
                                        BlobReader blobs) {
        return new StoreSource(reference, manifest, manifests, blobs);
    }

    /** {@code dir:tag} → [dir, tag]; a suffix with a slash is part of the path, not a tag. */
    static String[] pathAndTag(String rest) throws SourceException {
        if (rest.isEmpty()) {
            throw new SourceException("the reference names no path");
        }
        int last = rest.lastIndexOf(':');
        if (last < 0 || rest.indexOf('/', last) >= 0) {
            return new String[] {rest, null};
        }
        String tag = rest.substring(last + 1);
        return new String[] {rest.substring(0, last), tag.isEmpty() ? null : tag};
    }
}
