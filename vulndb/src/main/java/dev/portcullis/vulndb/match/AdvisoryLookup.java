package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.PackageKey;
import java.util.List;

/** Where the matcher finds advisories: the database, or memory (tests, benchmarks, one-off scans). */
public interface AdvisoryLookup {

    /** Advisories with at least one {@code affected} entry for {@code key}. */
    List<Advisory> advisories(PackageKey key);

    /** Whether any advisory data is loaded for an ecosystem ({@code Debian:12}); without it nothing is evaluable. */
    boolean covers(String ecosystem);
}
