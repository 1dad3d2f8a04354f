package dev.portcullis.vulndb.feed;

import java.util.Objects;

/**
 * A feed: a named set of advisories that one importer keeps up to date.
 *
 * @param format the importer's format, e.g. {@code osv}
 * @param snapshot whether each import carries the whole feed (a secdb or tracker file: what is absent is gone) or
 *     single records that replace their previous version by id (OSV)
 */
public record Feed(String name, String format, boolean snapshot) {
    public Feed {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("feed name must be 1..200 characters");
        }
        Objects.requireNonNull(format, "format");
    }
}
