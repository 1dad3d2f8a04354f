package dev.portcullis.scanner.lang.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.lang.testing.CorpusImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real corpus jar under a name its manifest disagrees with: unreadable, then identified by its SHA-1. */
class JarIdentitiesTest {

    @Test
    void aJarNothingIdentifiesIsReportedWithItsSha1AndTheIndexIdentifiesIt() throws Exception {
        CorpusImage image = CorpusImage.open("java-app");
        byte[] springCore = image.file("app/lib/spring-core-5.3.17.jar");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(springCore));
        Digest layer = image.layers().getFirst();
        CollectingSink sink = new CollectingSink();
        // renamed: the manifest's Implementation-Title (spring-core) no longer agrees with the file name
        new JarAnalyzer().analyze(new LayerFile(layer, "app/lib/core.jar", springCore.length, 0644,
                new ByteArrayInputStream(springCore)), sink);
        assertThat(sink.packages).isEmpty();
        assertThat(sink.unreadable).singleElement().satisfies(u -> assertThat(u.sha1()).isEqualTo(sha1));

        ScanResult result = new ScanResult("oci:test", null, Digest.sha256("c".getBytes(StandardCharsets.UTF_8)),
                "linux/amd64", null, List.of(), List.of(), List.of(), sink.unreadable, List.of(),
                ImageConfig.parse("{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8)),
                Instant.EPOCH);
        assertThat(JarIdentities.unidentified(result)).containsExactly(sha1);
        assertThat(JarIdentities.identify(result, Map.of("0".repeat(40), "g:a:1"))).isSameAs(result);

        ScanResult identified = JarIdentities.identify(result, Map.of(sha1, "org.springframework:spring-core:5.3.17"));

        assertThat(identified.unreadable()).isEmpty();
        assertThat(identified.packages()).singleElement().satisfies(p -> {
            assertThat(p.purl().canonicalize()).isEqualTo("pkg:maven/org.springframework/spring-core@5.3.17");
            assertThat(p.path()).isEqualTo("app/lib/core.jar");
            assertThat(p.layer()).isEqualTo(layer);
            assertThat(p.properties()).containsEntry("evidence", "sha1 index").containsEntry("sha1", sha1);
        });
    }
}
