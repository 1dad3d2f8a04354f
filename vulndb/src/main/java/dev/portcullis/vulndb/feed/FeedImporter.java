package dev.portcullis.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads one feed format. Implementations are listed in {@link FeedImporters}; the first that recognises wins. */
interface FeedImporter {

    String format();

    /** Whether a parsed document (JSON or YAML) is of this format, judged by its content alone. */
    boolean recognises(JsonNode document);

    /**
     * Delivers the document's advisories; a record that cannot be read is reported to {@code problems} with its
     * location and reason and the rest of the document is still read.
     */
    void read(String location, JsonNode document, AdvisorySink sink, ImportProblems problems);
}
