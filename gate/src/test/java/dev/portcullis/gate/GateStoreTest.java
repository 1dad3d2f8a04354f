package dev.portcullis.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.JdbcMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void judgedImagesAreWalkedPageByPageEachOnceInKeyOrder() {
        try (Database db = Database.sqlite(dir)) {
            new JdbcMetadataStore(db, CLOCK);
            GateStore store = new GateStore(db, CLOCK);
            List<String> expected = new ArrayList<>();
            // more than two pages, over repositories whose names share prefixes, so the key order is what splits them
            int n = GateStore.JUDGED_PAGE * 2 + 7;
            for (int i = 0; i < n; i++) {
                RepositoryName repo = RepositoryName.of("unscanned/acme/app" + (i % 3 == 0 ? "" : "-" + (i % 5)));
                Digest digest = Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
                store.judged(repo, digest, "acme", "linux/amd64", subject(repo, digest), promoted(),
                        ImageState.PROMOTED, "organisation@1", "snap", "scanner 1");
                expected.add(repo + "@" + digest);
            }
            store.scanning(RepositoryName.of("unscanned/acme/app"), Digest.sha256(new byte[] {1}), false, "acme");

            List<String> walked = new ArrayList<>();
            for (GateStore.ImageRow r : store.judgedImages()) {
                walked.add(r.repository() + "@" + r.digest());
            }
            assertThat(walked).hasSize(n).doesNotHaveDuplicates()
                    .containsExactlyElementsOf(expected.stream().sorted((a, b) -> {
                        String[] x = a.split("@");
                        String[] y = b.split("@");
                        int c = x[0].compareTo(y[0]);
                        return c != 0 ? c : x[1].compareTo(y[1]);
                    }).toList());
        }
    }

    private static Subject subject(RepositoryName repo, Digest digest) {
        return new Subject(new ImageFacts(repo.value(), "acme", "1", digest, "linux/amd64", Map.of(),
                ConfigFacts.empty(), null, OsFacts.unknown(), true, List.of()), List.of(), List.of(), List.of(),
                List.of(), List.of(), DatabaseFacts.absent());
    }

    private static Verdict promoted() {
        return new Verdict(Decision.PROMOTE, List.of(), List.of(), List.of(), null, Map.of("organisation", 1),
                CLOCK.instant());
    }
}
