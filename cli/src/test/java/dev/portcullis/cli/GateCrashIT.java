package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.storage.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash trials of the gate on the real server process ({@link GateProcess}): it halts itself, as a SIGKILL would, at an
 * exact point of a job - while scanning, with the verdict and promotion written but not committed, right after that
 * commit. After each crash the data on disk is inspected cold, then the server is restarted on the same data
 * directory unarmed. Every trial proves: nothing half-written is ever visible (a scanned/ tag only with a promoted
 * verdict, a verdict only with its completed job and its one audit entry), the job is not lost, and the image ends
 * judged exactly once to its right outcome (alpine-3.10.3 promoted, java-app rejected under the default policy with
 * the corpus feeds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GateCrashIT {
    private Path work;
    private Path data;
    private int port;
    private int trial;

    @BeforeAll
    void prepare(@TempDir Path dir) throws Exception {
        GateProcess.jar();
        Path feeds = Corpus.feeds();
        work = dir;
        data = dir.resolve("data");
        // one data directory for every trial, the feeds imported once, as an operator would
        assertThat(Main.run("db", "import", "--data", data.toString(), feeds.toString())).isZero();
        port = GateProcess.freePort();
    }

    static Stream<Arguments> trials() {
        List<Arguments> out = new ArrayList<>();
        for (String point : List.of("scanning", "before-commit", "after-commit")) {
            out.add(Arguments.of(point, "alpine-3.10.3", "promoted"));
            out.add(Arguments.of(point, "java-app", "rejected"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "killed at {0}: {1} ends {2}")
    @MethodSource("trials")
    void aKilledServerResumesAndJudgesTheImageExactlyOnce(String point, String image, String outcome)
            throws Exception {
        String repository = "unscanned/crash/" + image + "-" + (++trial);
        String digest;
        try (GateProcess armed = GateProcess.start(data, port, point, Map.of(), work.resolve(trial + "-armed.log"))) {
            digest = armed.push(Corpus.image(image).resolve("oci"), repository, "1");
            // the server halts itself at the point: exit 137, as if killed
            assertThat(armed.awaitHalt()).as(armed.log()).isEqualTo(137);
        }

        // cold, right after the crash: either nothing of the verdict or all of it
        GateProcess.Rows crashed = rows(repository, digest);
        crashed.assertWhole();
        assertThat(crashed.hasVerdict()).as("judged before the crash at " + point)
                .isEqualTo(point.equals("after-commit"));
        assertThat(crashed.jobs()).as("the scan job survives the crash").isEqualTo(1);

        try (GateProcess again = GateProcess.start(data, port, null, Map.of(),
                work.resolve(trial + "-restarted.log"))) {
            assertThat(again.awaitState(repository, "1")).as(again.log()).isEqualTo(outcome);
            assertThat(again.manifestStatus(repository.replaceFirst("^unscanned/", "scanned/"), "1"))
                    .isEqualTo(outcome.equals("promoted") ? 200 : 404);
        } // closed by SIGKILL too, at rest: the final state must still be whole
        GateProcess.Rows done = rows(repository, digest);
        done.assertWhole();
        assertThat(done.hasVerdict()).isTrue();
        assertThat(done.state()).isEqualTo(outcome);
        assertThat(done.verdicts()).as("judged exactly once").isEqualTo(1);
        assertThat(done.jobState()).isEqualTo("done");
    }

    private GateProcess.Rows rows(String repository, String digest) {
        try (Database db = Database.sqlite(data)) {
            return GateProcess.rows(db, repository, digest);
        }
    }
}
