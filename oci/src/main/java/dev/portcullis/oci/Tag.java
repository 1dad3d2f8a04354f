package dev.portcullis.oci;

import java.util.regex.Pattern;

/** A tag: up to 128 characters, {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) implements Comparable<Tag> {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new InvalidTagException("'" + value + "' is not a valid tag: up to 128 letters, digits, '_', '.'"
                    + " and '-', not starting with '.' or '-'");
        }
    }

    public static boolean isValid(String s) {
        return s != null && GRAMMAR.matcher(s).matches();
    }

    @Override
    public int compareTo(Tag o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** The string is not a valid tag. */
    public static final class InvalidTagException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidTagException(String message) {
            super(message);
        }
    }
}
