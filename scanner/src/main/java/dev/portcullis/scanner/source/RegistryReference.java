package dev.portcullis.scanner.source;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.Tag;

/**
 * {@code HOST/NAME[:TAG|@DIGEST]} as Docker reads it: a first component with a dot or a colon, or
 * {@code localhost}, is the registry host; otherwise the image is on Docker Hub, where one-component names live
 * under {@code library/}. Without tag or digest the tag is {@code latest}.
 */
record RegistryReference(String host, RepositoryName name, String reference) {
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    static RegistryReference parse(String text) throws SourceException {
        String rest = text;
        String host = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first;
                rest = rest.substring(slash + 1);
            }
        }
        String ref = "latest";
        int at = rest.indexOf('@');
        if (at >= 0) {
            ref = ImageResolver.digest(rest.substring(at + 1), "digest in " + text).toString();
            rest = rest.substring(0, at);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf('/', colon) < 0) {
                ref = rest.substring(colon + 1);
                if (!Tag.isValid(ref)) {
                    throw new SourceException("'" + ref + "' is not a valid tag");
                }
                rest = rest.substring(0, colon);
            }
        }
        if (host.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        try {
            return new RegistryReference(host, RepositoryName.of(rest), ref);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }

    /** The host the API is served from (Docker Hub's API host differs from its name). */
    String apiHost() {
        return host.equals(DOCKER_HUB) ? DOCKER_HUB_API : host;
    }

    boolean byDigest() {
        return reference.indexOf(':') >= 0;
    }

    Digest digest() {
        return Digest.parse(reference);
    }
}
