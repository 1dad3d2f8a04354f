package dev.portcullis.policy;

import java.time.Duration;

/** Reading and writing policy documents, and the default organisation policy that ships with Portcullis. */
public final class PolicyDocuments {
    /** How old the vulnerability database may be under the default policy unless configured otherwise. */
    public static final Duration DEFAULT_MAX_DATABASE_AGE = Duration.ofDays(7);

    private PolicyDocuments() {
    }

    /**
     * Parses and validates a YAML policy document: YAML syntax, the schema (unknown fields are errors), rule names,
     * and every condition parsed and type-checked as CEL against the model of its resource kind.
     *
     * @param sourceName names the source in problems (a file name)
     * @throws PolicyException with every problem found, each with line and column in {@code yaml}
     */
    public static PolicyDocument parse(String yaml, String sourceName) {
        throw new UnsupportedOperationException("parse lands with the YAML reader");
    }

    /** The canonical YAML of {@code document}: fixed key order, quoted strings; it parses back to an equal document. */
    public static String write(PolicyDocument document) {
        throw new UnsupportedOperationException("write lands with the YAML reader");
    }

    /** The default organisation policy with a 7-day limit on the database's age. */
    public static PolicyDocument defaultOrganisation() {
        return defaultOrganisation(DEFAULT_MAX_DATABASE_AGE);
    }

    /** The default organisation policy ({@code default-organisation.yaml}), rejecting a database older than {@code maxDatabaseAge}. */
    public static PolicyDocument defaultOrganisation(Duration maxDatabaseAge) {
        throw new UnsupportedOperationException("the default policy lands with the YAML reader");
    }
}
