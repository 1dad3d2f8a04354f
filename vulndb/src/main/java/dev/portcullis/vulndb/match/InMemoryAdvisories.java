package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.feed.AdvisorySink;
import dev.portcullis.vulndb.feed.Feed;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.PackageKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Advisories held in memory, indexed by package; filled by importers like the database is. Not thread-safe. */
public final class InMemoryAdvisories implements AdvisoryLookup, AdvisorySink {
    private final Map<String, Map<String, Advisory>> byFeed = new LinkedHashMap<>();
    private final Set<String> begun = new HashSet<>();
    private Map<PackageKey, List<Advisory>> index;
    private Set<String> ecosystems;

    @Override
    public void begin(Feed feed) {
        if (begun.add(feed.name()) && feed.snapshot()) {
            byFeed.remove(feed.name());
        }
        index = null;
    }

    @Override
    public void accept(Feed feed, Advisory advisory) {
        byFeed.computeIfAbsent(feed.name(), k -> new LinkedHashMap<>()).put(advisory.id(), advisory);
        index = null;
    }

    @Override
    public void withdrawn(Feed feed, String id) {
        byFeed.getOrDefault(feed.name(), new HashMap<>()).remove(id);
        index = null;
    }

    /** Ends an import: the next import of a snapshot feed replaces it again. */
    public void endImport() {
        begun.clear();
    }

    public int size() {
        return byFeed.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public List<Advisory> advisories(PackageKey key) {
        return index().getOrDefault(key, List.of());
    }

    @Override
    public boolean covers(String ecosystem) {
        index();
        return ecosystems.contains(ecosystem);
    }

    private Map<PackageKey, List<Advisory>> index() {
        if (index == null) {
            Map<PackageKey, List<Advisory>> m = new HashMap<>();
            Set<String> e = new HashSet<>();
            for (Map<String, Advisory> feed : byFeed.values()) {
                for (Advisory a : feed.values()) {
                    Set<PackageKey> keys = new HashSet<>();
                    for (Affected af : a.affected()) {
                        keys.add(new PackageKey(af.ecosystem(), af.name()));
                        e.add(af.ecosystem());
                    }
                    keys.forEach(k -> m.computeIfAbsent(k, x -> new ArrayList<>()).add(a));
                }
            }
            index = m;
            ecosystems = e;
        }
        return index;
    }
}
