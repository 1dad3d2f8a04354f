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
 * Debian's security tracker JSON ({@code {source package: {CVE: {releases: {codename: {status, fixed_version,
 * urgency, nodsa...}}}}}}, optionally under a {@code packages} key). Matching is on the source package, per release
 * ({@code Debian:12}). {@code resolved} with a fixed version affects versions below it ({@code 0}: never affected);
 * {@code open} and {@code undetermined} affect every version with no fix, so they are reported, not assumed away.
 */
final class DebianTrackerImporter implements FeedImporter {
    static final Map<String, String> RELEASES = Map.ofEntries(Map.entry("jessie", "8"), Map.entry("stretch", "9"),
            Map.entry("buster", "10"), Map.entry("bullseye", "11"), Map.entry("bookworm", "12"),
            Map.entry("trixie", "13"), Map.entry("forky", "14"), Map.entry("duke", "15"));

    @Override
    public String format() {
        return "debian-tracker";
    }

    @Override
    public boolean recognises(JsonNode doc) {
        JsonNode packages = doc.path("packages").isObject() ? doc.path("packages") : doc;
        if (!packages.isObject() || packages.isEmpty()) {
            return false;
        }
        JsonNode firstPackage = packages.properties().iterator().next().getValue();
        if (!firstPackage.isObject() || firstPackage.isEmpty()) {
            return false;
        }
        JsonNode firstIssue = firstPackage.properties().iterator().next().getValue();
        return firstIssue.isObject() && firstIssue.path("releases").isObject();
    }

    @Override
    public void read(String location, JsonNode doc, AdvisorySink sink, ImportProblems problems) {
        Feed feed = new Feed("debian-tracker", format(), true);
        sink.begin(feed);
        JsonNode packages = doc.path("packages").isObject() ? doc.path("packages") : doc;
        Map<String, List<Affected>> byCve = new LinkedHashMap<>();
        Map<String, String> urgency = new LinkedHashMap<>();
        Map<String, String> summary = new LinkedHashMap<>();
        for (Entry<String, JsonNode> pkg : packages.properties()) {
            for (Entry<String, JsonNode> issue : pkg.getValue().properties()) {
                String cve = issue.getKey();
                String where = location + "#" + pkg.getKey() + "/" + cve;
                if (!issue.getValue().path("releases").isObject()) {
                    problems.malformed(where, "entry without releases");
                    continue;
                }
                summary.putIfAbsent(cve, Nodes.text(issue.getValue(), "description"));
                for (Entry<String, JsonNode> rel : issue.getValue().path("releases").properties()) {
                    String number = RELEASES.get(rel.getKey());
                    if (number == null) {
                        // unstable/experimental have no release to install from; an unknown codename is data we
                        // cannot place, so it is reported
                        if (!rel.getKey().equals("sid") && !rel.getKey().equals("experimental")) {
                            problems.malformed(where, "unknown Debian release " + rel.getKey());
                        }
                        continue;
                    }
                    try {
                        Affected a = affected("Debian:" + number, pkg.getKey(), rel.getValue());
                        if (a != null) {
                            byCve.computeIfAbsent(cve, k -> new ArrayList<>()).add(a);
                            urgency.merge(cve, Nodes.text(rel.getValue(), "urgency"), DebianTrackerImporter::worse);
                        }
                    } catch (IllegalArgumentException e) {
                        problems.malformed(where + "/" + rel.getKey(), e.getMessage());
                    }
                }
            }
        }
        for (Entry<String, List<Affected>> e : byCve.entrySet()) {
            sink.accept(feed, new Advisory(feed.name(), e.getKey(), List.of(), summary.get(e.getKey()),
                    new Severity(List.of(), urgency.getOrDefault(e.getKey(), "")), null, null, location,
                    e.getValue()));
        }
    }

    private static Affected affected(String ecosystem, String pkg, JsonNode release) {
        String status = Nodes.text(release, "status");
        String fixed = Nodes.text(release, "fixed_version");
        String note = Nodes.text(release, "nodsa_reason");
        if (note.isEmpty() && !Nodes.text(release, "nodsa").isEmpty()) {
            note = "no-dsa";
        }
        Range.Event introduced = new Range.Event(Range.Kind.INTRODUCED, "0");
        return switch (status) {
            case "resolved" -> {
                if (fixed.isEmpty()) {
                    throw new IllegalArgumentException("resolved without fixed_version");
                }
                yield fixed.equals("0") ? null : new Affected(ecosystem, pkg, List.of(new Range("ECOSYSTEM",
                        List.of(introduced, new Range.Event(Range.Kind.FIXED, fixed)))), List.of(), note);
            }
            case "open", "undetermined" -> new Affected(ecosystem, pkg, List.of(new Range("ECOSYSTEM",
                    List.of(introduced))), List.of(), note.isEmpty() && status.equals("undetermined") ? status : note);
            default -> throw new IllegalArgumentException("unknown status '" + status + "'");
        };
    }

    /** Of two urgencies of one CVE in several releases, keep the more severe for the advisory's rating. */
    private static String worse(String a, String b) {
        List<String> order = List.of("", "not yet assigned", "unimportant", "end-of-life", "low", "medium", "high");
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }
}
