package dev.portcullis.scanner.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Edge cases of the dpkg, apk and os-release analyzers that the corpus images do not show. */
class OsAnalyzersTest {
    private static final Digest LAYER = Digest.sha256(new byte[0]);

    private static CollectingSink analyze(Analyzer a, String path, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertThat(a.accepts(path, bytes.length)).as(path).isTrue();
        CollectingSink sink = new CollectingSink();
        a.analyze(new LayerFile(LAYER, path, bytes.length, 0644, new ByteArrayInputStream(bytes)), sink);
        return sink;
    }

    @Test
    void dpkgKeepsOnlyInstalledPackagesAndReadsSourceWithVersion() throws Exception {
        CollectingSink sink = analyze(new DpkgAnalyzer(), "var/lib/dpkg/status", """
                Package: libbz2-1.0
                Status: install ok installed
                Architecture: amd64
                Source: bzip2 (1.0.8-5)
                Version: 1.0.8-5+b1
                Description: library
                 continuation line
                 .

                Package: removed
                Status: deinstall ok config-files
                Version: 1.0

                Package: half
                Status: install ok half-configured
                Version: 2.0
                """);
        assertThat(sink.packages).hasSize(1);
        Package p = sink.packages.getFirst();
        assertThat(p.source()).isEqualTo(new Package.Source("bzip2", "1.0.8-5"));
        assertThat(p.purl().getQualifiers()).containsEntry("upstream", "bzip2@1.0.8-5").containsEntry("arch", "amd64");
        assertThat(sink.unreadable).isEmpty();
    }

    @Test
    void dpkgStatusDirectoryOfDistrolessHasNoStatusField() throws Exception {
        DpkgAnalyzer dpkg = new DpkgAnalyzer();
        assertThat(dpkg.accepts("var/lib/dpkg/status.d/base-files.md5sums", 10)).isFalse();
        assertThat(dpkg.accepts("var/lib/dpkg/status.d/sub/x", 10)).isFalse();
        CollectingSink sink = analyze(dpkg, "var/lib/dpkg/status.d/base-files",
                "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n");
        assertThat(sink.packages).extracting(Package::name).containsExactly("base-files");
    }

    @Test
    void dpkgParagraphWithoutVersionIsUnreadableAndOthersSurvive() throws Exception {
        CollectingSink sink = analyze(new DpkgAnalyzer(), "var/lib/dpkg/status", """
                Package: broken
                Status: install ok installed

                Package: fine
                Status: install ok installed
                Version: 1
                """);
        assertThat(sink.packages).extracting(Package::name).containsExactly("fine");
        assertThat(sink.unreadable).singleElement().satisfies(u -> assertThat(u.reason()).contains("line 1"));
        assertThatThrownBy(() -> analyze(new DpkgAnalyzer(), "var/lib/dpkg/status", " starts with a space\n"))
                .isInstanceOf(DatabaseFormatException.class);
    }

    @Test
    void apkKeepsOriginAndLicenceAndReportsRecordsWithoutVersion() throws Exception {
        CollectingSink sink = analyze(new ApkAnalyzer(), "lib/apk/db/installed", """
                P:libssl1.1
                V:1.1.1d-r0
                A:x86_64
                o:openssl
                L:OpenSSL
                F:lib
                R:libssl.so.1.1

                P:noversion

                """);
        assertThat(sink.packages).singleElement().satisfies(p -> {
            assertThat(p.source().name()).isEqualTo("openssl");
            assertThat(p.licenses()).containsExactly("OpenSSL");
            assertThat(p.purl().canonicalize()).isEqualTo("pkg:apk/alpine/libssl1.1@1.1.1d-r0?arch=x86_64");
        });
        assertThat(sink.unreadable).hasSize(1);
    }

    @Test
    void osReleaseQuotingAndEndOfLife() throws Exception {
        CollectingSink sink = analyze(new OsReleaseAnalyzer(), "etc/os-release", """
                # comment
                PRETTY_NAME='Ubuntu 22.04.4 LTS'
                ID=ubuntu
                VERSION_ID="22.04"
                VERSION_CODENAME=jammy
                """);
        OsInfo os = sink.os.getFirst();
        assertThat(os.prettyName()).isEqualTo("Ubuntu 22.04.4 LTS");
        assertThat(os.endOfLife()).isEqualTo(LocalDate.of(2027, 6, 1));
        OsInfo alpine = analyze(new OsReleaseAnalyzer(), "etc/alpine-release", "3.10.3\n").os.getFirst();
        assertThat(alpine.endOfLife()).isEqualTo(LocalDate.of(2021, 5, 1));
        assertThat(analyze(new OsReleaseAnalyzer(), "etc/os-release", "ID=plan9\nVERSION_ID=4\n").os.getFirst()
                .endOfLife()).isNull();
        // found by fuzzing: a version made only of dots
        assertThat(analyze(new OsReleaseAnalyzer(), "etc/os-release", "ID=debian\nVERSION_ID=..\n").os.getFirst()
                .endOfLife()).isNull();
        assertThatThrownBy(() -> analyze(new OsReleaseAnalyzer(), "etc/alpine-release", "not a version"))
                .isInstanceOf(DatabaseFormatException.class);
    }
}
