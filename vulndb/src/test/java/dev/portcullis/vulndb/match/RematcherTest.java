package dev.portcullis.vulndb.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.vulndb.feed.Feed;
import dev.portcullis.vulndb.feed.FeedImporters;
import dev.portcullis.vulndb.feed.FeedReader;
import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.PackageKey;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import dev.portcullis.vulndb.version.VersionSchemes;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A feed update touches only the images holding the packages whose advisories changed. */
class RematcherTest {

    @Test
    void addedAndWithdrawnAdvisoriesChangeOnlyTheImagesThatHoldThePackage() throws IOException {
        InMemoryAdvisories advisories = new InMemoryAdvisories();
        FeedImporters importers = new FeedImporters();
        ImportProblems problems = new ImportProblems();
        new FeedReader(FeedReader.Limits.DEFAULT).read(Corpus.feeds().resolve("ghsa-osv"),
                d -> importers.read(d.location(), d.bytes(), advisories, problems), problems);
        advisories.endImport();
        Matcher matcher = new Matcher(advisories, new VersionSchemes());

        InventoryIndex index = new InventoryIndex();
        Map<String, List<Finding>> previous = new HashMap<>();
        for (String image : List.of("java-app", "node-app")) {
            List<InstalledPackage> inventory = CorpusInventory.read(Corpus.image(image));
            index.add(image, inventory);
            previous.put(image, matcher.match(inventory));
        }

        Feed ghsa = new Feed("osv:GHSA", "osv", false);
        Range below5 = new Range("SEMVER", List.of(new Range.Event(Range.Kind.INTRODUCED, "0"),
                new Range.Event(Range.Kind.FIXED, "5.0.0")));
        advisories.accept(ghsa, new Advisory("osv:GHSA", "GHSA-test-0000-0001", List.of(), "", Severity.NONE, null,
                null, "", List.of(new Affected("npm", "lodash", List.of(below5), List.of(), ""))));
        advisories.withdrawn(ghsa, "GHSA-35jh-r3h4-6jhm");

        Rematcher.Result result = new Rematcher(matcher).rematch(index, Set.of(new PackageKey("npm", "lodash")),
                previous::get);

        assertThat(result.imagesTouched()).isEqualTo(1);
        assertThat(result.packagesRematched()).isEqualTo(1);
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.image()).isEqualTo("node-app");
            assertThat(c.added()).extracting(Finding::advisoryId).containsExactly("GHSA-test-0000-0001");
            assertThat(c.removed()).extracting(Finding::advisoryId).containsExactly("GHSA-35jh-r3h4-6jhm");
        });
    }
}
