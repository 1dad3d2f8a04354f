package dev.portcullis.scanner.analyzer;

import dev.portcullis.oci.Digest;

/** A part of the image that could not be read, with where and why (e.g. corrupt gzip, malformed database). */
public record Unreadable(Digest layer, String path, String reason) {
}
