package dev.portcullis.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One policy document: whose it is, its version and its rules. Documents are values: {@link PolicyDocuments#parse}
 * reads one from YAML (validating the schema and type-checking every condition), {@link PolicyDocuments#write}
 * prints it canonically, and a printed document parses back to an equal one.
 *
 * @param version a positive number the owner raises with every change; verdicts record it
 * @param rules the rules, in the order they are evaluated and reported; names unique within the document
 * @param exceptions the organisation's bounds on exceptions; null when the document does not set them (a team's
 *     document never sets them)
 */
public record PolicyDocument(Owner owner, int version, List<Rule> rules, ExceptionBounds exceptions) {
    public PolicyDocument {
        Objects.requireNonNull(owner, "owner");
        if (version < 1) {
            throw new IllegalArgumentException("a policy version is at least 1");
        }
        rules = List.copyOf(rules);
        Set<String> names = new HashSet<>();
        for (Rule r : rules) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("rule name '" + r.name() + "' is used twice");
            }
        }
        if (exceptions != null && !owner.isOrganisation()) {
            throw new IllegalArgumentException("only the organisation's policy bounds exceptions");
        }
    }
}
