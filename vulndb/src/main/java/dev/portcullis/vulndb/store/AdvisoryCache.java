package dev.portcullis.vulndb.store;

import dev.portcullis.vulndb.model.Advisory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded advisories by content hash, least recently used evicted. Keyed by the hash of the stored document, an
 * entry can never be stale: a changed advisory has another hash. Shared by the lookups of one database.
 */
public final class AdvisoryCache {
    private final Map<String, Advisory> entries;

    public AdvisoryCache(int capacity) {
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Advisory> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Advisory get(String hash) {
        return entries.get(hash);
    }

    synchronized void put(String hash, Advisory advisory) {
        entries.put(hash, advisory);
    }
}
