package dev.portcullis.vulndb;

import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.model.PackageKey;
import dev.portcullis.vulndb.store.StoreImport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one import did: per feed the records added, updated, unchanged and removed; the malformed records and the
 * skipped documents with where and why; the sources that had not changed (HTTP 304); and the packages whose
 * advisories changed, which is what re-matching needs.
 */
public record ImportReport(Map<String, StoreImport.FeedCounts> feeds, List<ImportProblems.Problem> malformed,
                           List<ImportProblems.Problem> skipped, List<String> notModified,
                           Set<PackageKey> changedPackages) {
    public ImportReport {
        feeds = Map.copyOf(feeds);
        malformed = List.copyOf(malformed);
        skipped = List.copyOf(skipped);
        notModified = List.copyOf(notModified);
        changedPackages = Set.copyOf(changedPackages);
    }

    public int records() {
        return feeds.values().stream().mapToInt(c -> c.added() + c.updated() + c.unchanged()).sum();
    }
}
