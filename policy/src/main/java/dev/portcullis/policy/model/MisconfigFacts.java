package dev.portcullis.policy.model;

import java.util.Objects;

/**
 * A misconfiguration check that failed.
 *
 * @param id the check's id
 * @param where what it applies to (a config field, a file path)
 */
public record MisconfigFacts(String id, Severity severity, String title, String where) {
    public MisconfigFacts {
        ImageFacts.requireText(id, "id");
        Objects.requireNonNull(severity, "severity");
        title = title == null ? "" : title;
        where = where == null ? "" : where;
    }
}
