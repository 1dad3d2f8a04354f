package dev.portcullis.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed manifest: an image manifest (config + layers) or an index (child manifests). Both forms may carry a
 * {@code subject}, which makes them a referrer of that manifest.
 */
public sealed interface Manifest permits Manifest.Image, Manifest.Index {

    String mediaType();

    Optional<Descriptor> subject();

    String artifactType();

    Map<String, String> annotations();

    /** Everything this manifest points to that must already exist in the repository. */
    List<Descriptor> references();

    record Image(String mediaType, Descriptor config, List<Descriptor> layers, Optional<Descriptor> subject,
                 String artifactType, Map<String, String> annotations) implements Manifest {
        public Image {
            layers = List.copyOf(layers);
            annotations = Map.copyOf(annotations);
        }

        @Override
        public List<Descriptor> references() {
            var all = new java.util.ArrayList<Descriptor>(layers.size() + 1);
            all.add(config);
            all.addAll(layers);
            return all;
        }

        /** The artifact type a referrers response reports: explicit, else the config's media type. */
        public String effectiveArtifactType() {
            return artifactType != null ? artifactType : config.mediaType();
        }
    }

    record Index(String mediaType, List<Descriptor> manifests, Optional<Descriptor> subject, String artifactType,
                 Map<String, String> annotations) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
            annotations = Map.copyOf(annotations);
        }

        @Override
        public List<Descriptor> references() {
            return manifests;
        }
    }
}
