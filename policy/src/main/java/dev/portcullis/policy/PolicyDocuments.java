package dev.portcullis.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reading and writing policy documents, and the default organisation policy that ships with Portcullis. */
public final class PolicyDocuments {
    /** How old the vulnerability database may be under the default policy unless configured otherwise. */
    public static final Duration DEFAULT_MAX_DATABASE_AGE = Duration.ofDays(7);

    private static final String DEFAULT_RESOURCE = "default-organisation.yaml";

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
        return PolicyYaml.parse(yaml, sourceName);
    }

    /** The canonical YAML of {@code document}: fixed key order, quoted strings; it parses back to an equal document. */
    public static String write(PolicyDocument document) {
        return PolicyYaml.write(document);
    }

    /** The default organisation policy with a 7-day limit on the database's age. */
    public static PolicyDocument defaultOrganisation() {
        return defaultOrganisation(DEFAULT_MAX_DATABASE_AGE);
    }

    /** The default organisation policy ({@code default-organisation.yaml}), rejecting a database older than {@code maxDatabaseAge}. */
    public static PolicyDocument defaultOrganisation(Duration maxDatabaseAge) {
        return parse(defaultOrganisationYaml(maxDatabaseAge), DEFAULT_RESOURCE);
    }

    /**
     * The text of the default organisation policy with {@code maxDatabaseAge} filled in: the resource
     * {@code default-organisation.yaml} spells the limit {@code ${maxDatabaseAge}} inside a CEL duration.
     */
    public static String defaultOrganisationYaml(Duration maxDatabaseAge) {
        if (maxDatabaseAge.isNegative() || maxDatabaseAge.isZero() || maxDatabaseAge.getNano() != 0) {
            throw new IllegalArgumentException("the database age limit is a positive whole number of seconds");
        }
        String template;
        try (InputStream in = PolicyDocuments.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the policy jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DEFAULT_RESOURCE + " from the policy jar", e);
        }
        // CEL durations are Go durations: whole hours read best, seconds always work
        long seconds = maxDatabaseAge.getSeconds();
        String celDuration = seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds + "s";
        return template.replace("${maxDatabaseAge}", celDuration);
    }
}
