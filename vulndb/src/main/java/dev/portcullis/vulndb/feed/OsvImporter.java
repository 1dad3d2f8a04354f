package dev.portcullis.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.CvssParser;
import dev.portcullis.vulndb.model.PackageNames;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * OSV records, as JSON (GHSA, Go vulndb, OSV zips) or YAML (PyPA). The feed is the OSV database named by the id's
 * prefix ({@code osv:GHSA}, {@code osv:GO}, {@code osv:PYSEC}); records replace earlier versions by id and a
 * {@code withdrawn} record removes its id.
 */
final class OsvImporter implements FeedImporter {

    @Override
    public String format() {
        return "osv";
    }

    @Override
    public boolean recognises(JsonNode doc) {
        return doc.isObject() && doc.path("id").isTextual() && doc.path("modified").isValueNode()
                && (doc.has("affected") || doc.has("withdrawn") || doc.has("aliases") || doc.has("schema_version"));
    }

    @Override
    public void read(String location, JsonNode doc, AdvisorySink sink, ImportProblems problems) {
        String id = doc.path("id").asText();
        int dash = id.indexOf('-');
        Feed feed = new Feed("osv:" + (dash > 0 ? id.substring(0, dash) : id), format(), false);
        sink.begin(feed);
        if (!Nodes.text(doc, "withdrawn").isEmpty()) {
            sink.withdrawn(feed, id);
            return;
        }
        try {
            List<Affected> affected = new ArrayList<>();
            for (JsonNode a : doc.path("affected")) {
                affected.add(affected(a));
            }
            sink.accept(feed, new Advisory(feed.name(), id, Nodes.texts(doc, "aliases"), Nodes.text(doc, "summary"),
                    severity(doc), Nodes.instant(doc, "published"), Nodes.instant(doc, "modified"), location,
                    affected));
        } catch (IllegalArgumentException e) {
            problems.malformed(location + "#" + id, e.getMessage());
        }
    }

    private static Affected affected(JsonNode a) {
        JsonNode pkg = a.path("package");
        String ecosystem = Nodes.text(pkg, "ecosystem");
        String name = Nodes.text(pkg, "name");
        if (ecosystem.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("affected[] without package ecosystem and name");
        }
        List<Range> ranges = new ArrayList<>();
        for (JsonNode r : a.path("ranges")) {
            List<Range.Event> events = new ArrayList<>();
            for (JsonNode e : r.path("events")) {
                events.add(event(e));
            }
            String type = Nodes.text(r, "type");
            if (type.isEmpty()) {
                throw new IllegalArgumentException("range without type");
            }
            ranges.add(new Range(type, events));
        }
        return new Affected(ecosystem, PackageNames.normalise(ecosystem, name), ranges,
                Nodes.texts(a, "versions"), "");
    }

    private static Range.Event event(JsonNode e) {
        for (Range.Kind kind : Range.Kind.values()) {
            if (e.has(kind.osvName())) {
                return new Range.Event(kind, Nodes.text(e, kind.osvName()));
            }
        }
        throw new IllegalArgumentException("range event of unknown kind: " + e);
    }

    private static Severity severity(JsonNode doc) {
        List<Severity.Cvss> cvss = new ArrayList<>();
        for (JsonNode s : doc.path("severity")) {
            String type = Nodes.text(s, "type");
            String score = Nodes.text(s, "score");
            if (type.startsWith("CVSS_") && !score.isEmpty()) {
                cvss.add(CvssParser.parse(score));
            }
        }
        return new Severity(cvss, Nodes.text(doc.path("database_specific"), "severity"));
    }
}
