package dev.portcullis.vulndb.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.vulndb.model.Advisory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelinedImportTest {
    private static FeedReader.Document osv(int i) {
        String doc = """
                {"id": "GHSA-test-%04d", "modified": "2026-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "npm", "name": "pkg-%d"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.%d"}]}]}]}
                """.formatted(i, i, i);
        return new FeedReader.Document("GHSA-test-" + i + ".json", doc.getBytes(StandardCharsets.UTF_8));
    }

    /** Advisory ids in the order the sink received them. */
    private static List<String> importAll(int maxInFlight, long maxInFlightBytes) {
        List<String> ids = new ArrayList<>();
        AdvisorySink sink = new AdvisorySink() {
            @Override
            public void begin(Feed feed) {
            }

            @Override
            public void accept(Feed feed, Advisory advisory) {
                ids.add(advisory.id());
            }

            @Override
            public void withdrawn(Feed feed, String id) {
            }
        };
        ImportProblems problems = new ImportProblems();
        try (PipelinedImport pipeline = new PipelinedImport(new FeedImporters(), sink, problems, 3, maxInFlight,
                maxInFlightBytes)) {
            for (int i = 0; i < 40; i++) {
                pipeline.document(osv(i));
            }
            pipeline.finish();
        }
        assertThat(problems.malformed()).isEmpty();
        return ids;
    }

    @Test
    void documentsArriveInOrderWhateverBoundsTheInFlightWork() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(String.format("GHSA-test-%04d", i));
        }
        assertThat(importAll(256, PipelinedImport.MAX_IN_FLIGHT_BYTES)).isEqualTo(expected);
        assertThat(importAll(4, PipelinedImport.MAX_IN_FLIGHT_BYTES)).as("bounded by count").isEqualTo(expected);
        assertThat(importAll(256, 1)).as("bounded by bytes: every document is larger, so each goes alone")
                .isEqualTo(expected);
    }
}
