package dev.portcullis.vulndb.feed;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The one list of feed importers, and recognition of a document's format by its content. Documents that are
 * recognised as a format Portcullis does not import (legacy Node Security WG advisories, per-entry tracker
 * records) or not recognised at all are reported as skipped with the reason.
 */
public final class FeedImporters {
    static final int MAX_YAML_BYTES = 64 * 1024 * 1024;

    private record Unsupported(Predicate<JsonNode> test, String reason) {
    }

    private final List<FeedImporter> importers = List.of(
            new OsvImporter(), new AlpineSecdbImporter(), new DebianTrackerImporter());
    private final List<Unsupported> unsupported = List.of(
            new Unsupported(d -> d.has("module_name") && d.has("vulnerable_versions"),
                    "legacy Node Security WG advisory: format not supported (its advisories are in GHSA)"),
            new Unsupported(d -> d.has("Header") && d.has("Annotations"),
                    "per-entry Debian tracker record (vuln-list): import the tracker JSON export instead"));
    private final ObjectMapper yaml;

    public FeedImporters() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_YAML_BYTES);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(Json.MAX_DEPTH);
        options.setAllowDuplicateKeys(false);
        yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH).build())
                .build());
    }

    /** Reads one document: recognises its format and delivers its advisories, or reports why it was skipped. */
    public void read(String location, byte[] bytes, AdvisorySink sink, ImportProblems problems) {
        JsonNode doc;
        try {
            doc = parse(bytes);
        } catch (IOException | IllegalArgumentException e) {
            problems.skipped(location, "neither JSON nor YAML: " + firstLine(e.getMessage()));
            return;
        }
        if (doc == null || !doc.isContainerNode()) {
            problems.skipped(location, "not a feed document");
            return;
        }
        for (FeedImporter importer : importers) {
            if (importer.recognises(doc)) {
                try {
                    importer.read(location, doc, sink, problems);
                } catch (IllegalArgumentException e) {
                    // a defect the importer did not isolate to one record: the document is reported, the import goes on
                    problems.malformed(location, e.getMessage());
                }
                return;
            }
        }
        for (Unsupported u : unsupported) {
            if (u.test.test(doc)) {
                problems.skipped(location, u.reason);
                return;
            }
        }
        problems.skipped(location, "unrecognised format");
    }

    private JsonNode parse(byte[] bytes) throws IOException {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        if (i < bytes.length && (bytes[i] == '{' || bytes[i] == '[')) {
            return Json.parse(bytes);
        }
        if (bytes.length > MAX_YAML_BYTES) {
            throw new IllegalArgumentException("YAML document larger than " + MAX_YAML_BYTES + " bytes");
        }
        try {
            return yaml.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
