package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.PackageKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where the matcher finds advisories: the database, or memory (tests, benchmarks, one-off scans). */
public interface AdvisoryLookup {

    /** Advisories with at least one {@code affected} entry for {@code key}. */
    List<Advisory> advisories(PackageKey key);

    /** The same for many keys at once, which a database answers on one connection. */
    default Map<PackageKey, List<Advisory>> advisories(Set<PackageKey> keys) {
        Map<PackageKey, List<Advisory>> out = new HashMap<>();
        keys.forEach(k -> out.put(k, advisories(k)));
        return out;
    }

    /** Whether any advisory data is loaded for an ecosystem ({@code Debian:12}); without it nothing is evaluable. */
    boolean covers(String ecosystem);
}
