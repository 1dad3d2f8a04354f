package dev.portcullis.oci;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec defines it: lower-case path components separated by {@code /},
 * each made of alphanumerics joined by {@code .}, {@code _}, {@code __} or dashes. The grammar admits no
 * {@code ..}, no empty component and no leading or trailing separator, so a valid name can never escape a
 * directory it is resolved under.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    public static final int MAX_LENGTH = 255;
    private static final Pattern GRAMMAR =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new InvalidNameException("repository name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidNameException("repository name is " + value.length() + " characters; the limit is "
                    + MAX_LENGTH);
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new InvalidNameException("'" + value + "' is not a valid repository name: use lower-case letters,"
                    + " digits and separators (. _ __ -) in components joined by /");
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** The name does not follow the spec's grammar. */
    public static final class InvalidNameException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidNameException(String message) {
            super(message);
        }
    }
}
