package dev.portcullis.vulndb.model;

import java.util.Objects;

/** The key advisories are indexed by: OSV ecosystem (with release) and normalised package name. */
public record PackageKey(String ecosystem, String name) {
    public PackageKey {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return ecosystem + "/" + name;
    }
}
