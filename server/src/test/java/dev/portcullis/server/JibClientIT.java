package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Jib's registry client (what Jib's Maven and Gradle plugins push with) against the real server over plain HTTP. */
class JibClientIT {

    private static RegistryClient client(TestServer server, String repository, String sourceRepository) {
        // Plain HTTP on loopback: Jib needs the insecure failover enabled, as with allowInsecureRegistries.
        FailoverHttpClient http = new FailoverHttpClient(true, false, event -> { });
        return RegistryClient.factory(EventHandlers.NONE, "127.0.0.1:" + server.port(), repository,
                sourceRepository, http).newRegistryClient();
    }

    private static DescriptorDigest jib(Digest d) throws Exception {
        return DescriptorDigest.fromDigest(d.toString());
    }

    @Test
    void pushesAndPullsBlobsAndAManifest() throws Exception {
        try (TestServer server = TestServer.start()) {
            RegistryClient client = client(server, "unscanned/jib/app", null);
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                    .getBytes();
            byte[] layer = Fixtures.randomBytes(3 * 1024 * 1024 + 17);
            DescriptorDigest configDigest = jib(Digest.sha256(config));
            DescriptorDigest layerDigest = jib(Digest.sha256(layer));

            assertThat(client.checkBlob(layerDigest)).isEmpty();
            assertThat(client.pushBlob(layerDigest, Blobs.from(new ByteArrayInputStream(layer)), null, n -> { }))
                    .isFalse();
            assertThat(client.pushBlob(configDigest, Blobs.from(new ByteArrayInputStream(config)), null, n -> { }))
                    .isFalse();
            Optional<BlobDescriptor> checked = client.checkBlob(layerDigest);
            assertThat(checked).isPresent();
            assertThat(checked.get().getSize()).isEqualTo(layer.length);

            OciManifestTemplate manifest = new OciManifestTemplate();
            manifest.setContainerConfiguration(config.length, configDigest);
            manifest.addLayer(layer.length, layerDigest);
            DescriptorDigest manifestDigest = client.pushManifest(manifest, "v1");

            ManifestAndDigest<OciManifestTemplate> pulled = client.pullManifest("v1", OciManifestTemplate.class);
            assertThat(pulled.getDigest()).isEqualTo(manifestDigest);
            assertThat(pulled.getManifest().getLayers()).hasSize(1);
            assertThat(pulled.getManifest().getLayers().getFirst().getDigest()).isEqualTo(layerDigest);
            assertThat(client.pullManifest(manifestDigest.toString(), OciManifestTemplate.class).getDigest())
                    .isEqualTo(manifestDigest);

            Blob blob = client.pullBlob(layerDigest, size -> { }, n -> { });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BlobDescriptor written = blob.writeTo(out);
            assertThat(written.getDigest()).isEqualTo(layerDigest);
            assertThat(out.toByteArray()).isEqualTo(layer);

            // A second repository mounts the layer from the first instead of uploading it.
            RegistryClient other = client(server, "unscanned/jib/other", "unscanned/jib/app");
            assertThat(other.pushBlob(layerDigest, Blobs.from(new ByteArrayInputStream(layer)), "unscanned/jib/app",
                    n -> { }))
                    .as("mounted").isTrue();
            assertThat(other.checkBlob(layerDigest)).isPresent();
        }
    }
}
