package dev.portcullis.cli;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.Tag;

/**
 * An image as {@code check} and {@code break-glass} name it: {@code unscanned/acme/app:1.2} or
 * {@code unscanned/acme/app@sha256:…} (a bare repository means its {@code latest} tag).
 *
 * @param reference the tag or the digest
 */
record ImageRef(RepositoryName repository, String reference) {

    static ImageRef parse(String text) {
        int at = text.indexOf('@');
        if (at >= 0) {
            return new ImageRef(RepositoryName.of(text.substring(0, at)), Digest.parse(text.substring(at + 1))
                    .toString());
        }
        int colon = text.lastIndexOf(':');
        if (colon > text.lastIndexOf('/')) {
            String tag = text.substring(colon + 1);
            new Tag(tag);
            return new ImageRef(RepositoryName.of(text.substring(0, colon)), tag);
        }
        return new ImageRef(RepositoryName.of(text), "latest");
    }

    /** The image's path in the gate API. */
    String apiPath() {
        // tags and digests hold only URL-safe characters ([A-Za-z0-9_.:-]); the server matches the raw path
        return "/api/v1/repositories/" + repository + "/images/" + reference;
    }

    @Override
    public String toString() {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
    }
}
