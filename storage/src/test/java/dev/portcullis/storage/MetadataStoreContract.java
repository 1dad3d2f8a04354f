package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.storage.MetadataStore.StoredManifest;
import dev.portcullis.storage.MetadataStore.UploadSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link MetadataStore} must do. Implementations extend this and provide a fresh, empty store. */
public abstract class MetadataStoreContract {
    private static final RepositoryName REPO = RepositoryName.of("unscanned/team/app");
    private static final RepositoryName OTHER = RepositoryName.of("scanned/team/app");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract MetadataStore store();

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static StoredManifest manifest(String content, String artifactType, Digest subject) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new StoredManifest(Digest.sha256(bytes), "application/vnd.oci.image.manifest.v1+json", bytes,
                artifactType, subject, Map.of("k", "v"), T0);
    }

    @Test
    void blobLinksArePerRepository() {
        MetadataStore s = store();
        s.linkBlob(REPO, d("a"), 5);
        s.linkBlob(REPO, d("a"), 5);
        assertThat(s.linkedBlobSize(REPO, d("a"))).contains(5L);
        assertThat(s.linkedBlobSize(OTHER, d("a"))).isEmpty();
        assertThat(s.isBlobInUse(d("a"))).isTrue();
        assertThat(s.unlinkBlob(REPO, d("a"))).isTrue();
        assertThat(s.unlinkBlob(REPO, d("a"))).isFalse();
        assertThat(s.isBlobInUse(d("a"))).isFalse();
    }

    @Test
    void aBlobAStoredManifestRefersToStaysInUseAfterItIsUnlinked() {
        MetadataStore s = store();
        s.linkBlob(REPO, d("layer"), 5);
        StoredManifest m = manifest("{\"uses\":\"layer\"}", null, null);
        s.putManifest(REPO, m, List.of(d("layer")), List.of(), Optional.empty());
        assertThat(s.unlinkBlob(REPO, d("layer"))).isTrue();
        assertThat(s.isBlobInUse(d("layer"))).isTrue();
        assertThat(s.deleteManifest(REPO, m.digest())).isTrue();
        assertThat(s.isBlobInUse(d("layer"))).isFalse();
    }

    @Test
    void manifestsTagsAndDeletes() {
        MetadataStore s = store();
        StoredManifest m = manifest("{\"m\":1}", null, null);
        s.putManifest(REPO, m, List.of(d("config"), d("layer")), List.of(), Optional.of("v1"));
        s.putManifest(REPO, m, List.of(d("config"), d("layer")), List.of(), Optional.of("latest"));
        StoredManifest stored = s.manifest(REPO, m.digest()).orElseThrow();
        assertThat(s.hasManifest(REPO, m.digest())).isTrue();
        assertThat(s.hasManifest(OTHER, m.digest())).isFalse();
        assertThat(stored.content()).isEqualTo(m.content());
        assertThat(stored.annotations()).containsEntry("k", "v");
        assertThat(s.tag(REPO, "v1")).contains(m.digest());
        assertThat(s.taggedManifest(REPO, "v1").orElseThrow().content()).isEqualTo(m.content());
        assertThat(s.taggedManifest(REPO, "nope")).isEmpty();
        assertThat(s.taggedManifest(OTHER, "v1")).isEmpty();
        assertThat(s.tags(REPO, Optional.empty(), 10)).containsExactly("latest", "v1");
        assertThat(s.tags(REPO, Optional.of("latest"), 10)).containsExactly("v1");
        assertThat(s.tags(REPO, Optional.empty(), 1)).containsExactly("latest");

        StoredManifest m2 = manifest("{\"m\":2}", null, null);
        s.putManifest(REPO, m2, List.of(), List.of(), Optional.of("v1"));
        assertThat(s.tag(REPO, "v1")).contains(m2.digest());
        assertThat(s.taggedManifest(REPO, "v1").orElseThrow().digest()).isEqualTo(m2.digest());

        assertThat(s.deleteTag(REPO, "v1")).isTrue();
        assertThat(s.deleteTag(REPO, "v1")).isFalse();
        assertThat(s.manifest(REPO, m2.digest())).isPresent();
        assertThat(s.deleteManifest(REPO, m.digest())).isTrue();
        assertThat(s.tag(REPO, "latest")).isEmpty();
        assertThat(s.manifest(REPO, m.digest())).isEmpty();
        assertThat(s.hasManifest(REPO, m.digest())).isFalse();
        assertThat(s.deleteManifest(REPO, m.digest())).isFalse();
        assertThat(s.deleteManifest(RepositoryName.of("nope"), m.digest())).isFalse();
    }

    @Test
    void repositoriesAreListedOnceTheyHoldAManifest() {
        MetadataStore s = store();
        s.linkBlob(RepositoryName.of("blobs/only"), d("x"), 1);
        s.putManifest(RepositoryName.of("b"), manifest("{}", null, null), List.of(), List.of(), Optional.empty());
        s.putManifest(RepositoryName.of("a"), manifest("{}", null, null), List.of(), List.of(), Optional.empty());
        s.putManifest(RepositoryName.of("c"), manifest("{}", null, null), List.of(), List.of(), Optional.empty());
        assertThat(s.repositories(Optional.empty(), 10)).extracting(RepositoryName::value).containsExactly("a", "b", "c");
        assertThat(s.repositories(Optional.of("a"), 1)).extracting(RepositoryName::value).containsExactly("b");
        assertThat(s.repositoryExists(RepositoryName.of("blobs/only"))).isTrue();
        assertThat(s.repositoryExists(RepositoryName.of("zzz"))).isFalse();
    }

    @Test
    void referrersByArtifactType() {
        MetadataStore s = store();
        Digest subject = d("subject");
        s.putManifest(REPO, manifest("{\"sbom\":1}", "application/spdx+json", subject), List.of(), List.of(),
                Optional.empty());
        s.putManifest(REPO, manifest("{\"sig\":1}", "application/vnd.dev.sig", subject), List.of(), List.of(),
                Optional.empty());
        s.putManifest(OTHER, manifest("{\"sig\":2}", "application/vnd.dev.sig", subject), List.of(), List.of(),
                Optional.empty());
        assertThat(s.referrers(REPO, subject, Optional.empty())).hasSize(2);
        assertThat(s.referrers(REPO, subject, Optional.of("application/vnd.dev.sig")))
                .extracting(StoredManifest::artifactType).containsExactly("application/vnd.dev.sig");
        assertThat(s.referrers(REPO, d("none"), Optional.empty())).isEmpty();
    }

    @Test
    void uploadSessions() {
        MetadataStore s = store();
        s.createUpload(new UploadSession("u1", REPO, T0));
        s.createUpload(new UploadSession("u2", REPO, T0.plusSeconds(3600)));
        assertThat(s.upload("u1")).contains(new UploadSession("u1", REPO, T0));
        assertThat(s.uploadsStartedBefore(T0.plusSeconds(1))).extracting(UploadSession::id).containsExactly("u1");
        assertThat(s.deleteUpload("u1")).isTrue();
        assertThat(s.upload("u1")).isEmpty();
    }

    @Test
    void promotionLinksTheManifestItsPlatformsAndTheirBlobsIntoTheTargetInOneStep() {
        MetadataStore s = store();
        s.linkBlob(REPO, d("layer"), 5);
        s.linkBlob(REPO, d("config"), 3);
        StoredManifest child = manifest("{\"platform\":\"amd64\"}", null, null);
        s.putManifest(REPO, child, List.of(d("config"), d("layer")), List.of(), Optional.empty());
        byte[] indexBytes = "{\"index\":1}".getBytes(StandardCharsets.UTF_8);
        StoredManifest index = new StoredManifest(Digest.sha256(indexBytes), "application/vnd.oci.image.index.v1+json",
                indexBytes, null, null, Map.of(), T0);
        s.putManifest(REPO, index, List.of(), List.of(child.digest()), Optional.of("1"));

        assertThat(s.promote(REPO, index.digest(), OTHER, Optional.of("1"))).isTrue();
        assertThat(s.tag(OTHER, "1")).contains(index.digest());
        assertThat(s.manifest(OTHER, index.digest()).orElseThrow().content()).isEqualTo(indexBytes);
        assertThat(s.hasManifest(OTHER, child.digest())).isTrue();
        assertThat(s.linkedBlobSize(OTHER, d("layer"))).contains(5L);
        assertThat(s.linkedBlobSize(OTHER, d("config"))).contains(3L);
        // the source keeps everything; promoting again changes nothing
        assertThat(s.tag(REPO, "1")).contains(index.digest());
        assertThat(s.promote(REPO, index.digest(), OTHER, Optional.of("1"))).isTrue();
        // deleting the promoted index does not take the source's references along
        assertThat(s.deleteManifest(OTHER, index.digest())).isTrue();
        assertThat(s.hasManifest(REPO, index.digest())).isTrue();
    }

    @Test
    void aPromotedTagMovesOnlyWhenTheNewDigestIsPromoted() {
        MetadataStore s = store();
        StoredManifest first = manifest("{\"v\":1}", null, null);
        StoredManifest second = manifest("{\"v\":2}", null, null);
        s.putManifest(REPO, first, List.of(), List.of(), Optional.of("latest"));
        assertThat(s.promote(REPO, first.digest(), OTHER, Optional.of("latest"))).isTrue();
        s.putManifest(REPO, second, List.of(), List.of(), Optional.of("latest"));
        assertThat(s.tag(OTHER, "latest")).contains(first.digest());
        assertThat(s.promote(REPO, second.digest(), OTHER, Optional.of("latest"))).isTrue();
        assertThat(s.tag(OTHER, "latest")).contains(second.digest());
        assertThat(s.hasManifest(OTHER, first.digest())).isTrue();
    }

    @Test
    void promotingWhatTheSourceDoesNotHoldChangesNothing() {
        MetadataStore s = store();
        assertThat(s.promote(REPO, d("missing"), OTHER, Optional.of("1"))).isFalse();
        s.putManifest(REPO, manifest("{\"m\":1}", null, null), List.of(), List.of(), Optional.empty());
        assertThat(s.promote(REPO, d("missing"), OTHER, Optional.of("1"))).isFalse();
        assertThat(s.tag(OTHER, "1")).isEmpty();
    }
}
