package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.lang.java.JarIdentities;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.report.CycloneDxReport;
import dev.portcullis.scanner.report.ReportFormat;
import dev.portcullis.scanner.report.TableReport;
import dev.portcullis.scanner.report.Tool;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.DbStatus;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.InMemoryAdvisories;
import dev.portcullis.vulndb.match.InstalledPackage;
import dev.portcullis.vulndb.match.Matcher;
import dev.portcullis.vulndb.model.Severity;
import dev.portcullis.vulndb.version.VersionSchemes;
import dev.portcullis.vulndb.vex.Vex;
import dev.portcullis.vulndb.vex.VexParser;
import dev.portcullis.vulndb.vex.VexStatement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * Vulnerabilities of scanned images for {@code portcullis scan}: adapts the scanner's packages to the matcher's
 * input, matches, applies VEX, and adds the findings to every report format (CycloneDX {@code vulnerabilities}
 * with {@code affects}; a {@code vulnerabilities} array in JSON; SARIF rules and results; SPDX security external
 * references; a table section sorted by severity). Both libraries stay independent: this is the adapter between them.
 */
final class ScanVulnerabilities {
    private final Map<ScanResult, List<Finding>> findings = new IdentityHashMap<>();

    private ScanVulnerabilities() {
    }

    /**
     * Matches against the database in {@code dataDir}. Without one nothing is evaluable, which is reported for every
     * package rather than read as "no vulnerabilities".
     */
    static ScanVulnerabilities match(List<ScanResult> results, Path dataDir, List<Path> vexFiles, PrintStream err)
            throws IOException {
        List<VexStatement> statements = new ArrayList<>();
        for (Path f : vexFiles) {
            statements.addAll(VexParser.parse(f.toString(), Files.readAllBytes(f)));
        }
        Vex vex = new Vex(statements);
        Set<String> warned = new LinkedHashSet<>();
        Consumer<Vex.Disagreement> disagreements = d -> {
            String warning = "portcullis scan: VEX documents disagree on " + d.finding().advisoryId() + " in "
                    + d.finding().pkg().purl() + ": " + d.overruled().document() + " says "
                    + d.overruled().status() + ", " + d.winner().document() + " says " + d.winner().status()
                    + "; the later --vex wins (" + d.winner().status() + ")";
            if (warned.add(warning)) {
                err.println(warning);
            }
        };
        if (results.stream().allMatch(r -> r.packages().isEmpty())) {
            // nothing to match: the database is not opened (it costs about half a second of CPU)
            return match(results, new Matcher(new InMemoryAdvisories(), new VersionSchemes()), vex, disagreements);
        }
        if (!Files.exists(dataDir.resolve("portcullis.db"))) {
            err.println("portcullis scan: no vulnerability database in " + dataDir + " (run 'portcullis db import'):"
                    + " packages are reported as unevaluable");
            return match(results, new Matcher(new InMemoryAdvisories(), new VersionSchemes()), vex, disagreements);
        }
        try (Database database = Database.sqliteReadOnly(dataDir)) {
            VulnDb db = VulnDb.openForReading(database, Clock.systemUTC());
            DbStatus status = db.status();
            if (status.feeds().isEmpty()) {
                err.println("portcullis scan: the vulnerability database in " + dataDir + " has no feeds:"
                        + " packages are reported as unevaluable");
            } else if (status.isStalerThan(STALE)) {
                err.println("portcullis scan: the vulnerability database is " + status.staleness().toDays()
                        + " days old (run 'portcullis db update')");
            }
            return match(results, db.matcher(), vex, disagreements);
        }
    }

    /**
     * The results with the jars nothing inside identified looked up by SHA-1 in the index {@code db import} stored;
     * the database is opened only when there are such jars and it exists.
     */
    static List<ScanResult> identifyJars(List<ScanResult> results, Path dataDir) {
        Set<String> sha1s = new HashSet<>();
        results.forEach(r -> sha1s.addAll(JarIdentities.unidentified(r)));
        if (sha1s.isEmpty() || !Files.exists(dataDir.resolve("portcullis.db"))) {
            return results;
        }
        try (Database database = Database.sqliteReadOnly(dataDir)) {
            Map<String, String> known = VulnDb.openForReading(database, Clock.systemUTC()).mavenSha1Index()
                    .coordinates(sha1s);
            return results.stream().map(r -> JarIdentities.identify(r, known)).toList();
        }
    }

    /** Age past which {@code scan} warns that its verdict rests on old data. */
    static final Duration STALE = Duration.ofDays(7);

    static ScanVulnerabilities match(List<ScanResult> results, Matcher matcher, Vex vex,
                                     Consumer<Vex.Disagreement> disagreements) {
        ScanVulnerabilities v = new ScanVulnerabilities();
        for (ScanResult r : results) {
            List<InstalledPackage> packages = new ArrayList<>();
            for (Package p : r.packages()) {
                packages.add(installed(r, p));
            }
            v.findings.put(r, vex.apply(matcher.match(packages), disagreements));
        }
        return v;
    }

    static InstalledPackage installed(ScanResult r, Package p) {
        boolean distro = switch (p.ecosystem()) {
            case DEB, APK, RPM -> true;
            default -> false;
        };
        InstalledPackage.Distro d = distro && r.os() != null && r.os().id() != null && r.os().versionId() != null
                ? new InstalledPackage.Distro(r.os().id(), r.os().versionId()) : null;
        return new InstalledPackage(p.ecosystem().purlType(), p.name(), p.version(), p.purl().canonicalize(),
                p.source() == null ? "" : p.source().name(),
                p.source() == null || p.source().version() == null ? "" : p.source().version(), d,
                p.layer() == null ? "" : p.layer().toString(), p.path());
    }

    List<Finding> of(ScanResult r) {
        return findings.getOrDefault(r, List.of());
    }

    /**
     * Whether a finding counts for {@code --fail-on}: not stated {@code not_affected} or {@code fixed} by VEX, at or
     * above the threshold (unknown severity and unevaluable packages count: fail closed), and, with
     * {@code ignoreUnfixed}, having a fix (an unevaluable finding is never "unfixed": it stays).
     */
    static boolean counts(Finding f, Severity.Level threshold, boolean ignoreUnfixed) {
        if (f.vex() != null && (f.vex().status().equals("not_affected") || f.vex().status().equals("fixed"))) {
            return false;
        }
        if (f.kind() == Finding.Kind.UNEVALUABLE) {
            return true;
        }
        if (ignoreUnfixed && f.fixedVersions().isEmpty()) {
            return false;
        }
        return f.severity().level().atLeast(threshold);
    }

    /** Writes {@code format} with the vulnerabilities included. */
    void write(ReportFormat format, List<ScanResult> results, Tool tool, Supplier<UUID> uuids, OutputStream out)
            throws IOException {
        if (format == ReportFormat.CYCLONEDX) {
            new CycloneDxReport(tool, uuids).write(results.getFirst(), cyclonedx(results.getFirst()), out);
            out.flush();
            return;
        }
        if (format == ReportFormat.TABLE) {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            new TableReport().write(results, r -> List.of(table(r)), w);
            w.flush();
            return;
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        format.write(results, tool, uuids, plain);
        switch (format) {
            case JSON -> {
                JsonNode root = Json.parse(plain.toByteArray());
                for (int i = 0; i < results.size(); i++) {
                    ((ObjectNode) root.path("results").get(i)).set("vulnerabilities", json(of(results.get(i))));
                }
                pretty(root, out);
            }
            case SARIF -> {
                JsonNode root = Json.parse(plain.toByteArray());
                for (int i = 0; i < results.size(); i++) {
                    sarif((ObjectNode) root.path("runs").get(i), of(results.get(i)));
                }
                pretty(root, out);
            }
            case SPDX -> {
                JsonNode root = Json.parse(plain.toByteArray());
                spdx(root, of(results.getFirst()));
                pretty(root, out);
            }
            default -> throw new IllegalStateException("format " + format);
        }
        out.flush();
    }

    private static void pretty(JsonNode root, OutputStream out) throws IOException {
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        out.write('\n');
    }

    private static String level(Finding f) {
        return f.kind() == Finding.Kind.UNEVALUABLE ? "UNEVALUABLE" : f.severity().level().name();
    }

    private static String url(String id) {
        return "https://osv.dev/vulnerability/" + id;
    }

    static ArrayNode json(List<Finding> findings) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (Finding f : findings) {
            ObjectNode o = out.addObject();
            o.put("kind", f.kind().name().toLowerCase(Locale.ROOT)).put("id", f.advisoryId());
            f.aliases().forEach(o.putArray("aliases")::add);
            o.put("package", f.pkg().name()).put("version", f.pkg().version()).put("purl", f.pkg().purl())
                    .put("layer", f.pkg().layer()).put("path", f.pkg().path()).put("feed", f.feed());
            f.fixedVersions().forEach(o.putArray("fixedVersions")::add);
            ObjectNode sev = o.putObject("severity").put("level", level(f)).put("rating", f.severity().rating());
            ArrayNode cvss = sev.putArray("cvss");
            for (Severity.Cvss c : f.severity().cvss()) {
                ObjectNode n = cvss.addObject().put("version", c.version()).put("vector", c.vector());
                if (!Double.isNaN(c.baseScore())) {
                    n.put("score", c.baseScore());
                }
            }
            o.putNull("epss");
            o.putNull("kev");
            if (!f.note().isEmpty()) {
                o.put("note", f.note());
            }
            if (f.vex() != null) {
                o.putObject("vex").put("status", f.vex().status()).put("justification", f.vex().justification())
                        .put("detail", f.vex().detail()).put("document", f.vex().document());
            }
        }
        return out;
    }

    private static void sarif(ObjectNode run, List<Finding> findings) {
        ArrayNode rules = (ArrayNode) run.path("tool").path("driver").path("rules");
        ArrayNode results = (ArrayNode) run.path("results");
        Map<String, Finding> byRule = new LinkedHashMap<>();
        for (Finding f : findings) {
            String ruleId = f.kind() == Finding.Kind.UNEVALUABLE ? "unevaluable" : f.advisoryId();
            if (byRule.putIfAbsent(ruleId, f) == null) {
                ObjectNode rule = rules.addObject().put("id", ruleId);
                rule.putObject("shortDescription").put("text", f.kind() == Finding.Kind.UNEVALUABLE
                        ? "package cannot be evaluated against the vulnerability database"
                        : ruleId + (f.aliases().isEmpty() ? "" : " (" + String.join(", ", f.aliases()) + ")"));
                if (f.kind() == Finding.Kind.VULNERABLE) {
                    rule.put("helpUri", url(f.advisoryId()));
                }
                rule.putObject("defaultConfiguration").put("level", sarifLevel(f));
                rule.putObject("properties").putArray("tags").add("vulnerability");
            }
            ObjectNode res = results.addObject().put("ruleId", ruleId).put("level", sarifLevel(f));
            String text = f.pkg().name() + " " + f.pkg().version() + (f.kind() == Finding.Kind.UNEVALUABLE
                    ? " cannot be evaluated: " + f.note()
                    : " is affected by " + f.advisoryId() + (f.fixedVersions().isEmpty() ? " (no fix)"
                    : " (fixed in " + String.join(", ", f.fixedVersions()) + ")"));
            res.putObject("message").put("text", text);
            res.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation")
                    .put("uri", f.pkg().path().replace(" ", "%20"));
            ObjectNode props = res.putObject("properties").put("purl", f.pkg().purl()).put("layer", f.pkg().layer());
            if (f.vex() != null) {
                props.put("vex", f.vex().status());
            }
        }
    }

    private static String sarifLevel(Finding f) {
        return switch (f.kind() == Finding.Kind.UNEVALUABLE ? Severity.Level.UNKNOWN : f.severity().level()) {
            case CRITICAL, HIGH, UNKNOWN -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    /** SPDX 2.3 has no vulnerability section: advisories become SECURITY external references of the package. */
    private static void spdx(JsonNode root, List<Finding> findings) {
        Map<String, List<Finding>> byPurl = new LinkedHashMap<>();
        findings.stream().filter(f -> f.kind() == Finding.Kind.VULNERABLE)
                .forEach(f -> byPurl.computeIfAbsent(f.pkg().purl(), k -> new ArrayList<>()).add(f));
        for (JsonNode pkg : root.path("packages")) {
            String purl = null;
            for (JsonNode ref : pkg.path("externalRefs")) {
                if ("purl".equals(ref.path("referenceType").asText())) {
                    purl = ref.path("referenceLocator").asText();
                }
            }
            List<Finding> hits = purl == null ? List.of() : byPurl.getOrDefault(purl, List.of());
            if (hits.isEmpty()) {
                continue;
            }
            ArrayNode refs = pkg.has("externalRefs") ? (ArrayNode) pkg.get("externalRefs")
                    : ((ObjectNode) pkg).putArray("externalRefs");
            hits.stream().map(Finding::advisoryId).distinct().forEach(id -> refs.addObject()
                    .put("referenceCategory", "SECURITY").put("referenceType", "advisory")
                    .put("referenceLocator", url(id)));
        }
    }

    List<Vulnerability> cyclonedx(ScanResult r) {
        Map<String, Vulnerability> byId = new LinkedHashMap<>();
        for (Finding f : of(r)) {
            if (f.kind() != Finding.Kind.VULNERABLE) {
                continue;
            }
            Package p = r.packages().stream().filter(x -> x.path().equals(f.pkg().path())
                    && x.purl().canonicalize().equals(f.pkg().purl())).findFirst().orElse(null);
            String key = f.advisoryId() + (f.vex() == null ? "" : "|" + f.vex().status());
            Vulnerability v = byId.computeIfAbsent(key, k -> vulnerability(f));
            if (p != null) {
                Vulnerability.Affect a = new Vulnerability.Affect();
                a.setRef(CycloneDxReport.bomRef(p));
                List<Vulnerability.Affect> affects = new ArrayList<>(v.getAffects() == null ? List.of() : v.getAffects());
                affects.add(a);
                v.setAffects(affects);
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static Vulnerability vulnerability(Finding f) {
        Vulnerability v = new Vulnerability();
        v.setId(f.advisoryId());
        Vulnerability.Source source = new Vulnerability.Source();
        source.setName(f.feed());
        source.setUrl(url(f.advisoryId()));
        v.setSource(source);
        List<Vulnerability.Reference> refs = new ArrayList<>();
        for (String alias : f.aliases()) {
            Vulnerability.Reference ref = new Vulnerability.Reference();
            ref.setId(alias);
            Vulnerability.Source s = new Vulnerability.Source();
            s.setUrl(url(alias));
            ref.setSource(s);
            refs.add(ref);
        }
        v.setReferences(refs);
        List<Vulnerability.Rating> ratings = new ArrayList<>();
        for (Severity.Cvss c : f.severity().cvss()) {
            Vulnerability.Rating rating = new Vulnerability.Rating();
            rating.setVector(c.vector());
            rating.setMethod(switch (c.version()) {
                case "4.0" -> Vulnerability.Rating.Method.CVSSV4;
                case "3.1" -> Vulnerability.Rating.Method.CVSSV31;
                case "3.0" -> Vulnerability.Rating.Method.CVSSV3;
                case "2.0" -> Vulnerability.Rating.Method.CVSSV2;
                default -> Vulnerability.Rating.Method.OTHER;
            });
            if (!Double.isNaN(c.baseScore())) {
                rating.setScore(c.baseScore());
            }
            rating.setSeverity(severity(f.severity().level()));
            ratings.add(rating);
        }
        if (ratings.isEmpty()) {
            Vulnerability.Rating rating = new Vulnerability.Rating();
            rating.setMethod(Vulnerability.Rating.Method.OTHER);
            rating.setSeverity(severity(f.severity().level()));
            ratings.add(rating);
        }
        v.setRatings(ratings);
        v.setRecommendation(f.fixedVersions().isEmpty() ? "no fixed version available"
                : "upgrade to " + String.join(" or ", f.fixedVersions()));
        if (f.vex() != null) {
            Vulnerability.Analysis analysis = new Vulnerability.Analysis();
            analysis.setState(switch (f.vex().status()) {
                case "not_affected" -> Vulnerability.Analysis.State.NOT_AFFECTED;
                case "fixed" -> Vulnerability.Analysis.State.RESOLVED;
                case "affected" -> Vulnerability.Analysis.State.EXPLOITABLE;
                default -> Vulnerability.Analysis.State.IN_TRIAGE;
            });
            Vulnerability.Analysis.Justification justification = justification(f.vex().justification());
            analysis.setJustification(justification);
            // a justification CycloneDX has no name for is kept in words rather than dropped
            String unnamed = justification == null ? f.vex().justification() : "";
            String detail = unnamed.isEmpty() || f.vex().detail().isEmpty() ? unnamed + f.vex().detail()
                    : unnamed + ". " + f.vex().detail();
            if (!detail.isEmpty()) {
                analysis.setDetail(detail);
            }
            v.setAnalysis(analysis);
        }
        return v;
    }

    /**
     * A VEX justification in CycloneDX's terms. CycloneDX names are taken as they are; OpenVEX's are mapped the
     * way CISA's minimum requirements for VEX pair them (the reverse of what Trivy applies when it reads CycloneDX
     * VEX); anything else has no CycloneDX name.
     */
    static Vulnerability.Analysis.Justification justification(String vex) {
        return switch (vex) {
            case "component_not_present", "vulnerable_code_not_present", "code_not_present" ->
                    Vulnerability.Analysis.Justification.CODE_NOT_PRESENT;
            case "vulnerable_code_not_in_execute_path", "code_not_reachable" ->
                    Vulnerability.Analysis.Justification.CODE_NOT_REACHABLE;
            case "vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment" ->
                    Vulnerability.Analysis.Justification.REQUIRES_ENVIRONMENT;
            case "inline_mitigations_already_exist", "protected_by_mitigating_control" ->
                    Vulnerability.Analysis.Justification.PROTECTED_BY_MITIGATING_CONTROL;
            case "requires_configuration" -> Vulnerability.Analysis.Justification.REQUIRES_CONFIGURATION;
            case "requires_dependency" -> Vulnerability.Analysis.Justification.REQUIRES_DEPENDENCY;
            case "protected_by_compiler" -> Vulnerability.Analysis.Justification.PROTECTED_BY_COMPILER;
            case "protected_at_runtime" -> Vulnerability.Analysis.Justification.PROTECTED_AT_RUNTIME;
            case "protected_at_perimeter" -> Vulnerability.Analysis.Justification.PROTECTED_AT_PERIMETER;
            default -> null;
        };
    }

    private static Vulnerability.Rating.Severity severity(Severity.Level level) {
        return switch (level) {
            case CRITICAL -> Vulnerability.Rating.Severity.CRITICAL;
            case HIGH -> Vulnerability.Rating.Severity.HIGH;
            case MEDIUM -> Vulnerability.Rating.Severity.MEDIUM;
            case LOW -> Vulnerability.Rating.Severity.LOW;
            case NONE -> Vulnerability.Rating.Severity.NONE;
            case UNKNOWN -> Vulnerability.Rating.Severity.UNKNOWN;
        };
    }

    private static final List<String> SEVERITY_ORDER = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE",
            "UNKNOWN", "UNEVALUABLE");

    /**
     * The vulnerabilities of one image as a table section: most severe first, then by package and advisory, with
     * fix versions; unevaluable packages last, with the reason in the FIX column.
     */
    private TableReport.Section table(ScanResult r) {
        List<Finding> sorted = new ArrayList<>(of(r));
        sorted.sort(Comparator.comparing((Finding f) -> SEVERITY_ORDER.indexOf(level(f)))
                .thenComparing(f -> f.pkg().name()).thenComparing(Finding::advisoryId)
                .thenComparing(f -> f.pkg().path()));
        boolean anyVex = sorted.stream().anyMatch(f -> f.vex() != null);
        List<String> header = new ArrayList<>(List.of("SEVERITY", "PACKAGE", "VERSION", "VULNERABILITY", "FIX"));
        if (anyVex) {
            header.add("VEX");
        }
        header.add("PATH");
        List<List<String>> rows = new ArrayList<>();
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        for (Finding f : sorted) {
            String id = f.advisoryId().isEmpty() ? "-" : f.advisoryId()
                    + (f.aliases().isEmpty() ? "" : " (" + String.join(", ", f.aliases()) + ")");
            String fix = f.kind() == Finding.Kind.UNEVALUABLE ? f.note()
                    : f.fixedVersions().isEmpty() ? "no fix" + (f.note().isEmpty() ? "" : " (" + f.note() + ")")
                    : "fixed in " + String.join(", ", f.fixedVersions());
            List<String> row = new ArrayList<>(List.of(level(f), f.pkg().name(), f.pkg().version(), id, fix));
            if (anyVex) {
                row.add(f.vex() == null ? "" : f.vex().status());
            }
            row.add(f.pkg().path());
            rows.add(row);
            if (f.kind() == Finding.Kind.VULNERABLE) {
                bySeverity.merge(level(f), 1, Integer::sum);
            }
        }
        long vulnerable = sorted.stream().filter(f -> f.kind() == Finding.Kind.VULNERABLE).count();
        long unevaluable = sorted.size() - vulnerable;
        String summary = TableReport.count(vulnerable, "vulnerability", "vulnerabilities")
                + (bySeverity.isEmpty() ? "" : " (" + String.join(", ", bySeverity.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList()) + ")")
                + (unevaluable == 0 ? "" : "; " + TableReport.count(unevaluable, "unevaluable package",
                "unevaluable packages"));
        return new TableReport.Section("Vulnerabilities", header, rows, summary);
    }
}
