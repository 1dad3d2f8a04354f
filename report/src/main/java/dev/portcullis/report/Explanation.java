package dev.portcullis.report;

import dev.portcullis.policy.Reason;

/** One reason in words a developer acts on: what fired, where it came from and what to change. */
final class Explanation {
    private Explanation() {
    }

    static String of(Reason r) {
        StringBuilder b = new StringBuilder();
        b.append(r.rule()).append(" (").append(r.owner()).append("): ").append(r.message());
        if (!r.item().isEmpty()) {
            b.append("\n  ").append(r.resource().yamlName()).append(": ").append(r.item());
            if (!r.aliases().isEmpty()) {
                b.append(" (").append(String.join(", ", r.aliases())).append(')');
            }
        }
        if (!r.packageName().isEmpty()) {
            b.append("\n  package: ").append(r.packageName());
            if (!r.installedVersion().isEmpty()) {
                b.append(' ').append(r.installedVersion());
            }
            if (!r.packagePurl().isEmpty()) {
                b.append(" (").append(r.packagePurl()).append(')');
            }
        }
        if (!r.fixedVersions().isEmpty()) {
            b.append("\n  fix: upgrade ").append(r.packageName().isEmpty() ? "it" : r.packageName()).append(" to ")
                    .append(String.join(" or ", r.fixedVersions()));
        }
        if (!r.layerDigest().isEmpty()) {
            b.append("\n  layer: ").append(r.layerDigest());
            if (!r.layerCreatedBy().isEmpty()) {
                b.append(" (").append(r.layerCreatedBy()).append(')');
            }
        }
        if (!r.detail().isEmpty()) {
            b.append("\n  at: ").append(r.detail());
        }
        if (r.isEvaluationError()) {
            b.append("\n  evaluation error: ").append(r.evaluationError());
        }
        return b.toString();
    }
}
