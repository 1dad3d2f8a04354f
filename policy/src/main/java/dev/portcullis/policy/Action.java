package dev.portcullis.policy;

import java.util.Locale;

/** What a rule whose condition holds does to the verdict. */
public enum Action {
    /** The image is not promoted. */
    REJECT,
    /** The image may be promoted; the verdict lists the warning. */
    WARN;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action spelled {@code name} in a document, or null when there is none. */
    public static Action ofYamlName(String name) {
        for (Action a : values()) {
            if (a.yamlName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
