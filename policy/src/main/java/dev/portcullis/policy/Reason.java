package dev.portcullis.policy;

import java.util.List;
import java.util.Objects;

/**
 * Why a rule fired (or failed to evaluate) for one item, with what a developer needs to act on it.
 *
 * @param rule the rule's name
 * @param owner the document the rule is in ({@link Owner#key()})
 * @param action {@link Action#REJECT} for rejections and evaluation errors, else {@link Action#WARN}
 * @param resource the rule's resource kind
 * @param message the rule's message, or for an evaluation error what failed
 * @param item what the rule fired on: the finding's advisory id, the package URL, the misconfiguration id, the
 *     secret's rule id, the unevaluable package's URL, or the image's repository for image rules
 * @param aliases the finding's aliases (findings only, else empty)
 * @param packageName the package's name (findings, packages, unevaluable items), else empty
 * @param packagePurl the package URL, else empty
 * @param installedVersion the installed version, else empty
 * @param layerDigest the layer that brought the item (findings, packages, secrets), else empty
 * @param layerCreatedBy that layer's {@code created_by}, else empty
 * @param fixedVersions what to upgrade to (findings), else empty
 * @param detail where or why: a secret's {@code path:line}, a misconfiguration's {@code where}, a
 *     package's file, an unevaluable item's reason ({@code UNPARSEABLE_VERSION}), else empty
 * @param evaluationError null when the rule evaluated; else the evaluation error, and the reason rejects whatever
 *     the rule's action (a policy that cannot be evaluated fails closed)
 */
public record Reason(String rule, String owner, Action action, ResourceKind resource, String message, String item,
                     List<String> aliases, String packageName, String packagePurl, String installedVersion,
                     String layerDigest, String layerCreatedBy, List<String> fixedVersions, String detail,
                     String evaluationError) {
    public Reason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(message, "message");
        item = orEmpty(item);
        aliases = List.copyOf(aliases);
        packageName = orEmpty(packageName);
        packagePurl = orEmpty(packagePurl);
        installedVersion = orEmpty(installedVersion);
        layerDigest = orEmpty(layerDigest);
        layerCreatedBy = orEmpty(layerCreatedBy);
        fixedVersions = List.copyOf(fixedVersions);
        detail = orEmpty(detail);
        if (evaluationError != null && action != Action.REJECT) {
            throw new IllegalArgumentException("a rule that failed to evaluate rejects");
        }
    }

    /** Whether the reason is an evaluation failure rather than a rule that held. */
    public boolean isEvaluationError() {
        return evaluationError != null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
