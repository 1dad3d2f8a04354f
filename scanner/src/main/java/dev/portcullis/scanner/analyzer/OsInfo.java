package dev.portcullis.scanner.analyzer;

import java.time.LocalDate;

/**
 * The distribution of an image, e.g. {@code debian 12 bookworm}. {@code endOfLife} is null when unknown.
 */
public record OsInfo(String id, String versionId, String codename, String prettyName, String path,
                     LocalDate endOfLife) {
}
