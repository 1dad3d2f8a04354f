package dev.portcullis.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Alpine's secdb ({@code v3.10/main.yaml} or its JSON twin): per origin package, the release that fixed each
 * CVE. Each file is one snapshot feed ({@code alpine-secdb:v3.10/main}); each CVE becomes an advisory affecting
 * {@code Alpine:v3.10} packages below the fixed release. A fixed release of {@code 0} means "never affected".
 */
final class AlpineSecdbImporter implements FeedImporter {

    @Override
    public String format() {
        return "alpine-secdb";
    }

    @Override
    public boolean recognises(JsonNode doc) {
        return doc.isObject() && doc.path("distroversion").isTextual() && Nodes.isArray(doc, "packages");
    }

    @Override
    public void read(String location, JsonNode doc, AdvisorySink sink, ImportProblems problems) {
        String release = doc.path("distroversion").asText();
        String repo = Nodes.text(doc, "reponame");
        Feed feed = new Feed("alpine-secdb:" + release + (repo.isEmpty() ? "" : "/" + repo), format(), true);
        sink.begin(feed);
        String ecosystem = "Alpine:" + release;
        Map<String, List<Affected>> byCve = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode p : doc.path("packages")) {
            JsonNode pkg = p.path("pkg");
            String name = Nodes.text(pkg, "name");
            String where = location + "#packages[" + index++ + "]";
            if (name.isEmpty() || (pkg.has("secfixes") && !pkg.path("secfixes").isObject())) {
                problems.malformed(where, "package without name or with malformed secfixes");
                continue;
            }
            for (Entry<String, JsonNode> fix : pkg.path("secfixes").properties()) {
                String fixed = fix.getKey().strip();
                if (!fix.getValue().isArray()) {
                    problems.malformed(where + "/" + name, "secfixes entry " + fixed + " is not a list");
                    continue;
                }
                if (fixed.equals("0")) {
                    continue;
                }
                if (fixed.isEmpty()) {
                    problems.malformed(where + "/" + name, "secfixes entry without a version");
                    continue;
                }
                for (JsonNode ids : fix.getValue()) {
                    for (String cve : ids.asText().strip().split("\\s+")) {
                        if (cve.isEmpty()) {
                            continue;
                        }
                        Range range = new Range("ECOSYSTEM", List.of(new Range.Event(Range.Kind.INTRODUCED, "0"),
                                new Range.Event(Range.Kind.FIXED, fixed)));
                        byCve.computeIfAbsent(cve, k -> new ArrayList<>())
                                .add(new Affected(ecosystem, name, List.of(range), List.of(), ""));
                    }
                }
            }
        }
        for (Entry<String, List<Affected>> e : byCve.entrySet()) {
            sink.accept(feed, new Advisory(feed.name(), e.getKey(), List.of(), "", Severity.NONE, null, null,
                    location, e.getValue()));
        }
    }
}
