package dev.portcullis.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.testing.TestLayers;
import dev.portcullis.scanner.testing.TestLayers.Tar;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layers built here: later layers replace, delete (whiteout) and hide (opaque) what lower layers installed. */
class WhiteoutTest {
    private static final String OS_RELEASE = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

    static String status(String... nameVersions) {
        StringBuilder sb = new StringBuilder();
        for (String nv : nameVersions) {
            String[] p = nv.split("=");
            sb.append("Package: ").append(p[0]).append("\nStatus: install ok installed\nArchitecture: amd64\n")
                    .append("Version: ").append(p[1]).append("\n\n");
        }
        return sb.toString();
    }

    private static ScanResult scan(byte[]... layers) throws Exception {
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        TestLayers.Image image = TestLayers.image(TestLayers.CONFIG, layers);
        return scanner.scanImage(image, image.sourceImage(), ScanListener.NONE);
    }

    private static List<String> names(ScanResult r) {
        return r.packages().stream().map(p -> p.name() + "=" + p.version()).toList();
    }

    @Test
    void upperLayerDatabaseReplacesLowerAndPackagesKeepTheLayerThatIntroducedThem() throws Exception {
        byte[] base = new Tar().file("etc/os-release", OS_RELEASE)
                .file("var/lib/dpkg/status", status("bash=5.2", "curl=7.88")).gzip();
        byte[] upgrade = new Tar().file("var/lib/dpkg/status", status("bash=5.2", "curl=8.0", "jq=1.6")).gzip();
        byte[] remove = new Tar().file("var/lib/dpkg/status", status("bash=5.2", "jq=1.6")).zstd();
        ScanResult r = scan(base, upgrade, remove);
        assertThat(names(r)).containsExactly("bash=5.2", "jq=1.6");
        Package bash = r.packages().get(0);
        Package jq = r.packages().get(1);
        assertThat(bash.layer()).isEqualTo(r.layers().get(0).digest());
        assertThat(jq.layer()).isEqualTo(r.layers().get(1).digest());
        assertThat(bash.purl().canonicalize()).isEqualTo("pkg:deb/debian/bash@5.2?arch=amd64&distro=debian-12");
        assertThat(r.unreadable()).isEmpty();
    }

    @Test
    void whiteoutOfTheDatabaseRemovesItsPackages() throws Exception {
        byte[] base = new Tar().file("var/lib/dpkg/status", status("bash=5.2")).gzip();
        byte[] delete = new Tar().whiteout("var/lib/dpkg/status").gzip();
        assertThat(names(scan(base, delete))).isEmpty();
    }

    @Test
    void whiteoutOfAnAncestorDirectoryRemovesEverythingBelow() throws Exception {
        byte[] base = new Tar().file("var/lib/dpkg/status", status("bash=5.2")).gzip();
        byte[] delete = new Tar().whiteout("var/lib").gzip();
        assertThat(names(scan(base, delete))).isEmpty();
    }

    @Test
    void opaqueDirectoryHidesLowerContentButNotItsOwn() throws Exception {
        byte[] base = new Tar().file("lib/apk/db/installed", "P:musl\nV:1.1\nA:x86_64\no:musl\n\n").gzip();
        byte[] opaque = new Tar().opaque("lib/apk/db").gzip();
        assertThat(names(scan(base, opaque))).isEmpty();
        byte[] opaqueWithNew = new Tar().opaque("lib/apk/db")
                .file("lib/apk/db/installed", "P:busybox\nV:1.30\nA:x86_64\no:busybox\n\n").gzip();
        assertThat(names(scan(base, opaqueWithNew))).containsExactly("busybox=1.30");
    }

    @Test
    void fileReplacingAnAncestorDirectoryHidesWhatWasBelow() throws Exception {
        byte[] base = new Tar().file("var/lib/dpkg/status", status("bash=5.2")).gzip();
        byte[] replace = new Tar().symlink("var/lib", "/opt/lib").gzip();
        assertThat(names(scan(base, replace))).isEmpty();
    }

    @Test
    void symlinkedFileIsReadOnceUnderTheTargetPathWhenTheAnalyzerWantsBoth() throws Exception {
        byte[] layer = new Tar().symlink("etc/os-release", "../usr/lib/os-release")
                .file("usr/lib/os-release", OS_RELEASE).gzip();
        ScanResult r = scan(layer);
        assertThat(r.os().id()).isEqualTo("debian");
        assertThat(r.os().path()).isEqualTo("usr/lib/os-release");
    }

    @Test
    void symlinkIsFollowedInsideTheRootWhenOnlyTheLinkPathIsWanted() throws Exception {
        byte[] layer = new Tar().symlink("var/lib/dpkg/status", "../../../../../../opt/dpkg/status")
                .file("opt/dpkg/status", status("bash=5.2")).gzip();
        ScanResult r = scan(layer);
        assertThat(names(r)).containsExactly("bash=5.2");
        assertThat(r.packages().getFirst().path()).isEqualTo("var/lib/dpkg/status");
    }

    @Test
    void setuidBinaryBehindASymlinkIsNotReportedTwiceNorReadTwice() throws Exception {
        byte[] layer = new Tar().file("usr/bin/su", new byte[2048], 04755).symlink("bin/su", "../usr/bin/su")
                .gzip();
        ScanResult r = scan(layer);
        assertThat(r.misconfigurations().stream().filter(m -> m.where() != null && m.where().contains("su"))
                .map(Misconfiguration::where)).containsExactly("usr/bin/su");
    }

    @Test
    void hardLinkToAnEarlierFileIsAnalysedUnderTheLinkPath() throws Exception {
        byte[] layer = new Tar().file("opt/status-copy", status("bash=5.2"))
                .hardlink("var/lib/dpkg/status", "opt/status-copy").gzip();
        ScanResult r = scan(layer);
        assertThat(names(r)).containsExactly("bash=5.2");
        assertThat(r.packages().getFirst().path()).isEqualTo("var/lib/dpkg/status");
    }
}
