package dev.portcullis.scanner.misconfig;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MisconfigurationTest {

    static ImageConfig config(String user, List<String> ports, List<String> healthcheck, Map<String, String> labels,
                              List<String> history) {
        return new ImageConfig("amd64", "linux", user, List.of(), List.of(), List.of(), ports, labels, healthcheck,
                null, List.of(), history.stream().map(h -> new ImageConfig.History(h, null, false)).toList(), null);
    }

    static List<String> ids(ImageConfig c) {
        CollectingSink sink = new CollectingSink();
        new ImageConfigChecks().analyze(c, sink);
        return sink.misconfigurations.stream().map(Misconfiguration::id).toList();
    }

    @Test
    void aHardenedImageHasNoFindings() {
        assertThat(ids(config("65532:65532", List.of("8080/tcp"), List.of("CMD", "/healthz"),
                Map.of("org.opencontainers.image.base.name", "debian:12.5-slim"),
                List.of("COPY app /app # buildkit")))).isEmpty();
    }

    @Test
    void rootUsersHealthcheckNoneAndSensitivePorts() {
        assertThat(ids(config("root:root", List.of("22/tcp", "2375/tcp", "8000-9000/tcp"), List.of("NONE"),
                Map.of("org.opencontainers.image.base.name", "docker.io/library/ubuntu"), List.of())))
                .containsExactly("runs-as-root", "no-healthcheck", "exposed-ssh-port", "exposed-sensitive-port",
                        "latest-base-image");
        assertThat(ids(config("0", List.of(), List.of("CMD", "true"), Map.of(), List.of())))
                .containsExactly("runs-as-root");
    }

    @Test
    void addFromUrlOrArchiveIsMoreSevereThanPlainAdd() {
        CollectingSink sink = new CollectingSink();
        new ImageConfigChecks().analyze(config("app", List.of(), List.of("CMD", "x"), Map.of(), List.of(
                "/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / ",
                "ADD https://example.invalid/tool.tar.gz /opt/ # buildkit",
                "/bin/sh -c #(nop) COPY dir:abc in /app",
                "RUN /bin/sh -c echo ADD is a word # buildkit")), sink);

        assertThat(sink.misconfigurations).extracting(Misconfiguration::id, Misconfiguration::where,
                m -> m.severity().name(), Misconfiguration::cisReference).containsExactly(
                org.assertj.core.groups.Tuple.tuple("add-instead-of-copy", "history[0].created_by", "LOW", "4.9"),
                org.assertj.core.groups.Tuple.tuple("add-instead-of-copy", "history[1].created_by", "MEDIUM", "4.9"));
    }

    @Test
    void setuidSetgidAndWorldWritableFiles() {
        FilePermissionAnalyzer perms = new FilePermissionAnalyzer();
        assertThat(perms.accepts("usr/bin/passwd", 100, 0755)).isFalse();
        assertThat(analyze(perms, "usr/bin/passwd", new byte[1], 04755).misconfigurations)
                .extracting(Misconfiguration::id, Misconfiguration::cisReference)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("setuid-setgid-file", "4.8"));
        assertThat(analyze(perms, "usr/bin/wall", new byte[1], 02755).misconfigurations.getFirst().detail())
                .startsWith("setgid (mode 2755)");
        assertThat(analyze(perms, "app/data.db", new byte[1], 0666).misconfigurations)
                .extracting(Misconfiguration::id).containsExactly("world-writable-file");
    }

    @Test
    void packageManagerCachesAreReportedOncePerCache() {
        PackageCacheAnalyzer caches = new PackageCacheAnalyzer();
        assertThat(caches.accepts("var/cache/apt/pkgcache.bin", 1)).isTrue();
        assertThat(caches.accepts("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 1)).isTrue();
        assertThat(caches.accepts("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
                1)).isFalse();
        assertThat(caches.accepts("var/cache/apk/APKINDEX.5022a8a2.tar.gz", 1)).isTrue();
        assertThat(caches.accepts("var/cache/apt/archives/curl_7.88.1_amd64.deb", 1)).isFalse();
        assertThat(analyze(caches, "var/cache/apt/pkgcache.bin", new byte[1], 0644).misconfigurations)
                .extracting(Misconfiguration::id).containsExactly("package-manager-cache");
    }
}
