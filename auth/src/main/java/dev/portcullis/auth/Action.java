package dev.portcullis.auth;

import java.util.Locale;
import java.util.Optional;

/** The actions of the Docker token scope grammar ({@code repository:NAME:pull,push,delete}). */
public enum Action {
    PULL, PUSH, DELETE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action for a wire name; unknown actions (clients send e.g. {@code *}) are ignored, not errors. */
    public static Optional<Action> parse(String text) {
        return switch (text.trim()) {
            case "pull" -> Optional.of(PULL);
            case "push" -> Optional.of(PUSH);
            case "delete" -> Optional.of(DELETE);
            default -> Optional.empty();
        };
    }
}
