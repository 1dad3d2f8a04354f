package dev.portcullis.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named rule of a policy document.
 *
 * @param name unique across the organisation's and the team's documents; letters, digits, {@code -} and {@code _}
 * @param resource what the condition is evaluated over
 * @param condition a CEL expression of type {@code bool} over the resource's variable, {@code image} and {@code db}
 * @param message what a person reads when the rule fires
 */
public record Rule(String name, ResourceKind resource, String condition, Action action, String message) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

    public Rule {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "' must be 1-100 letters, digits, '-' or '_'");
        }
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(message, "message");
    }
}
