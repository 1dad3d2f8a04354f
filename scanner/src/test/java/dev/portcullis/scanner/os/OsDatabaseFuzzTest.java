package dev.portcullis.scanner.os;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Every OS package database parser on arbitrary bytes. The only acceptable failure is a
 * {@link DatabaseFormatException} (or an {@link IOException} from the stream); anything else would lose the whole
 * file to a crash. Seeds in {@code OsDatabaseFuzzTestInputs/}; long runs: {@code bench/fuzz}.
 */
class OsDatabaseFuzzTest {
    private static final Digest LAYER = Digest.sha256(new byte[0]);

    private static void run(Analyzer a, String path, byte[] bytes) {
        try {
            a.analyze(new LayerFile(LAYER, path, bytes.length, 0644, new ByteArrayInputStream(bytes)),
                    new CollectingSink());
        } catch (DatabaseFormatException | IOException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "30s")
    void dpkgStatus(FuzzedDataProvider data) {
        boolean statusD = data.consumeBoolean();
        run(new DpkgAnalyzer(), statusD ? "var/lib/dpkg/status.d/pkg" : "var/lib/dpkg/status",
                data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "30s")
    void apkInstalled(byte[] bytes) {
        run(new ApkAnalyzer(), "lib/apk/db/installed", bytes);
    }

    @FuzzTest(maxDuration = "30s")
    void osRelease(FuzzedDataProvider data) {
        String path = data.pickValue(new String[] {"etc/os-release", "etc/alpine-release"});
        run(new OsReleaseAnalyzer(), path, data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "30s")
    void rpmHeader(byte[] bytes) {
        try {
            RpmHeader h = RpmHeader.parse(bytes);
            h.string(RpmHeader.NAME);
        } catch (DatabaseFormatException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rpmNdb(byte[] bytes) {
        run(new RpmAnalyzer(), "usr/lib/sysimage/rpm/Packages.db", bytes);
    }

    @FuzzTest(maxDuration = "30s")
    void rpmBerkeleyDb(byte[] bytes) {
        run(new RpmAnalyzer(), "var/lib/rpm/Packages", bytes);
    }
}
