package dev.portcullis.policy;

import java.util.Locale;

/**
 * What a rule is evaluated over. A rule's condition runs once per item of its kind, with the item bound to the
 * kind's variable; {@code image} and {@code db} are bound for every kind, and an {@link #IMAGE} rule runs once.
 */
public enum ResourceKind {
    VULNERABILITY("finding"),
    // "package" is a reserved word in CEL, so the package variable is "pkg"
    PACKAGE("pkg"),
    MISCONFIGURATION("misconfiguration"),
    SECRET("secret"),
    IMAGE("image"),
    UNEVALUABLE("unevaluable");

    private final String variable;

    ResourceKind(String variable) {
        this.variable = variable;
    }

    /** The CEL variable the item is bound to. */
    public String variable() {
        return variable;
    }

    /** The spelling in a policy document: {@code vulnerability}, {@code package}, ... */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind spelled {@code name} in a document, or null when there is none. */
    public static ResourceKind ofYamlName(String name) {
        for (ResourceKind k : values()) {
            if (k.yamlName().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
