package dev.portcullis.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy document, where it is.
 *
 * @param line 1-based line in the YAML source, 0 when the problem is not tied to a place (e.g. between documents)
 * @param column 1-based column, 0 when not tied to a place
 */
public record Problem(int line, int column, String message) {
    public Problem {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative");
        }
        Objects.requireNonNull(message, "message");
    }

    /** A problem with no place in a source file. */
    public static Problem general(String message) {
        return new Problem(0, 0, message);
    }

    @Override
    public String toString() {
        return line == 0 ? message : line + ":" + column + ": " + message;
    }
}
