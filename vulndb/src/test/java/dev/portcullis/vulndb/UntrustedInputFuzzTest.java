package dev.portcullis.vulndb;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.vulndb.feed.FeedImporters;
import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.match.InMemoryAdvisories;
import dev.portcullis.vulndb.version.InvalidVersionException;
import dev.portcullis.vulndb.version.NpmRange;
import dev.portcullis.vulndb.version.VersionScheme;
import dev.portcullis.vulndb.version.VersionSchemes;
import dev.portcullis.vulndb.vex.VexException;
import dev.portcullis.vulndb.vex.VexParser;
import java.util.List;

/**
 * Fuzz targets for everything vulndb reads from outside: feed documents (JSON and YAML), version strings of every
 * scheme, npm ranges and VEX documents. Bad input may only end in the parser's typed exception or a reported
 * problem. A normal build replays the seeds in {@code UntrustedInputFuzzTestInputs/}; long runs: {@code JAZZER_FUZZ=1}
 * (see {@code bench/fuzz/README.md}).
 */
class UntrustedInputFuzzTest {
    private static final FeedImporters IMPORTERS = new FeedImporters();
    private static final VersionSchemes SCHEMES = new VersionSchemes();
    private static final List<String> ECOSYSTEMS = List.of("Debian", "Alpine", "Red Hat", "Maven", "PyPI", "npm",
            "Go", "RubyGems", "NuGet", "crates.io");

    @FuzzTest(maxDuration = "30s")
    void feedDocument(byte[] bytes) {
        InMemoryAdvisories sink = new InMemoryAdvisories();
        IMPORTERS.read("fuzz", bytes, sink, new ImportProblems());
        sink.size();
    }

    @FuzzTest(maxDuration = "20s")
    void versionOrder(FuzzedDataProvider data) {
        VersionScheme scheme = SCHEMES.forEcosystem(data.pickValue(ECOSYSTEMS)).orElseThrow();
        String a = data.consumeString(40);
        String b = data.consumeRemainingAsString();
        int ab;
        int ba;
        try {
            ab = Integer.signum(scheme.compare(a, b));
            ba = Integer.signum(scheme.compare(b, a));
        } catch (InvalidVersionException expected) {
            return;
        }
        if (ab != -ba || Integer.signum(scheme.compare(a, a)) != 0) {
            throw new AssertionError(scheme.name() + " order is not antisymmetric for '" + a + "' and '" + b + "'");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void npmRange(FuzzedDataProvider data) {
        String range = data.consumeString(80);
        String version = data.consumeRemainingAsString();
        try {
            NpmRange.parse(range).contains(version);
        } catch (InvalidVersionException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "10s")
    void vexDocument(byte[] bytes) {
        try {
            VexParser.parse("fuzz", bytes);
        } catch (VexException expected) {
            // refused whole with a reason
        }
    }
}
