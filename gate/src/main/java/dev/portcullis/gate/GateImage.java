package dev.portcullis.gate;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An image digest in an unscanned/ repository as the gate knows it.
 *
 * @param index whether it is an image index (its platforms are {@code children}, each judged on its own)
 * @param platform {@code os/arch[/variant]} of a single-platform image, else empty
 * @param subject the policy input it was judged by (images only), empty before the first verdict
 * @param verdict the last verdict (images only; an index's decision follows from its children), empty before one
 * @param children an index's platform manifests with their states, in index order
 * @param policyVersions the policy documents the verdict was made under, e.g. {@code organisation=1,team:acme=2}
 * @param databaseSnapshot the vulnerability database snapshot the findings came from
 * @param scanner the scanner version and analyzer fingerprint the subject came from
 * @param error why it ended in {@link ImageState#ERROR}, else empty
 * @param tags the tags pointing to it in unscanned/ now
 */
public record GateImage(RepositoryName repository, Digest digest, String team, boolean index, ImageState state,
                        Optional<String> platform, Optional<Subject> subject, Optional<Verdict> verdict,
                        List<Child> children, Optional<String> policyVersions, Optional<String> databaseSnapshot,
                        Optional<String> scanner, Optional<String> error, Optional<Instant> judgedAt,
                        Instant updatedAt, List<String> tags) {
    public GateImage {
        children = List.copyOf(children);
        tags = List.copyOf(tags);
    }

    /** One platform of an index. */
    public record Child(Digest digest, String platform, ImageState state) {
    }
}
