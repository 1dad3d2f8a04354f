package dev.portcullis.gate;

import dev.portcullis.policy.PolicyDocument;
import java.time.Instant;
import java.util.Optional;

/**
 * One version of a policy document as the gate keeps it.
 *
 * @param author who applied it ({@code portcullis (default)} for the shipped default organisation policy)
 * @param createdAt when it was applied ({@link Instant#EPOCH} for the shipped default)
 * @param previousVersion the version it replaced, empty for the first
 */
public record PolicyVersion(PolicyDocument document, String author, Instant createdAt,
                            Optional<Integer> previousVersion) {
}
