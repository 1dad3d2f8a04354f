package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The image being judged.
 *
 * @param repository the repository path below the quarantine namespace, e.g. {@code acme/web} for an image pushed
 *     to {@code unscanned/acme/web}
 * @param team the owning team (the first path segment), e.g. {@code acme}
 * @param tag the tag it was pushed under, null when pushed by digest
 * @param digest the manifest digest
 * @param platform {@code os/arch[/variant]}, e.g. {@code linux/amd64}
 * @param labels the config's labels
 * @param created the config's creation time, null when absent
 * @param os the detected operating system ({@link OsFacts#unknown()} when none)
 * @param complete whether every layer and file was read; false exactly when {@code unreadable} is not empty
 * @param unreadable what could not be read
 */
public record ImageFacts(String repository, String team, String tag, Digest digest, String platform,
                         Map<String, String> labels, ConfigFacts config, Instant created, OsFacts os,
                         boolean complete, List<UnreadableFacts> unreadable) {
    public ImageFacts {
        requireText(repository, "repository");
        requireText(team, "team");
        Objects.requireNonNull(digest, "digest");
        platform = platform == null ? "" : platform;
        labels = Map.copyOf(labels);
        config = config == null ? ConfigFacts.empty() : config;
        os = os == null ? OsFacts.unknown() : os;
        unreadable = List.copyOf(unreadable);
        if (complete != unreadable.isEmpty()) {
            throw new IllegalArgumentException("an image is complete exactly when nothing was unreadable");
        }
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
