package dev.portcullis.scanner.report;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A readable summary for terminals: image, OS, then one aligned table per kind of finding, each with a header row
 * and sorted most severe first, then one summary line per image. Callers add sections of their own (the CLI adds
 * the vulnerabilities the matcher found) with {@link #write(List, Function, PrintWriter)}.
 */
public final class TableReport {

    /**
     * A table a caller adds after the scanner's own.
     *
     * @param rows    already in the order to show; each as long as {@code header}
     * @param summary what the section amounts to, for the summary line ("3 vulnerabilities (HIGH 3)")
     */
    public record Section(String title, List<String> header, List<List<String>> rows, String summary) {
        public Section {
            Objects.requireNonNull(title, "title");
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            Objects.requireNonNull(summary, "summary");
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException(title + ": a row has " + row.size() + " cells, the header "
                            + header.size());
                }
            }
        }
    }

    public void write(List<ScanResult> results, PrintWriter out) {
        write(results, r -> List.of(), out);
    }

    public void write(List<ScanResult> results, Function<ScanResult, List<Section>> extra, PrintWriter out) {
        for (ScanResult r : results) {
            out.println("Image     " + r.reference() + "  (" + r.platform() + ")");
            if (r.manifestDigest() != null) {
                out.println("Manifest  " + r.manifestDigest());
            }
            if (r.os() != null) {
                out.println("OS        " + (r.os().prettyName() != null ? r.os().prettyName()
                        : r.os().id() + " " + r.os().versionId())
                        + (r.os().endOfLife() != null ? "  (end of life " + r.os().endOfLife() + ")" : ""));
            }
            out.println("Layers    " + r.layers().size());
            out.println();
            List<List<String>> rows = new ArrayList<>();
            for (Package p : r.packages()) {
                rows.add(List.of(p.ecosystem().purlType(), p.name(), p.version(),
                        p.source() == null ? "" : p.source().name(), p.path()));
            }
            table(out, "Packages", List.of("TYPE", "NAME", "VERSION", "SOURCE", "PATH"), rows);
            rows = new ArrayList<>();
            for (Misconfiguration m : r.misconfigurations().stream().sorted(Comparator
                    .comparing(Misconfiguration::severity, Comparator.reverseOrder())
                    .thenComparing(Misconfiguration::id)).toList()) {
                rows.add(List.of(m.severity().name(), m.id(), m.title(), m.where() == null ? "" : m.where()));
            }
            table(out, "Misconfigurations", List.of("SEVERITY", "ID", "TITLE", "WHERE"), rows);
            rows = new ArrayList<>();
            for (SecretFinding s : r.secrets().stream().sorted(Comparator
                    .comparing(SecretFinding::severity, Comparator.reverseOrder())
                    .thenComparing(SecretFinding::ruleId).thenComparing(SecretFinding::path)).toList()) {
                rows.add(List.of(s.severity().name(), s.ruleId(), s.path() + (s.line() > 0 ? ":" + s.line() : ""),
                        s.redacted()));
            }
            table(out, "Secrets", List.of("SEVERITY", "RULE", "WHERE", "MATCH"), rows);
            List<Section> sections = extra.apply(r);
            for (Section s : sections) {
                table(out, s.title(), s.header(), s.rows());
            }
            rows = new ArrayList<>();
            for (Unreadable u : r.unreadable()) {
                rows.add(List.of(u.layer() == null ? "" : u.layer().encoded().substring(0, 12),
                        u.path() == null ? "" : u.path(), u.reason()));
            }
            table(out, "Unreadable (the result is incomplete)", List.of("LAYER", "PATH", "REASON"), rows);
            out.println(summary(r, sections));
        }
        out.flush();
    }

    /** One line a reader (or a CI log) can take in at a glance: counts per kind, per severity. */
    private static String summary(ScanResult r, List<Section> sections) {
        List<String> parts = new ArrayList<>();
        parts.add(count(r.packages().size(), "package"));
        sections.forEach(s -> parts.add(s.summary()));
        parts.add(count(r.misconfigurations().size(), "misconfiguration")
                + bySeverity(r.misconfigurations().stream().map(Misconfiguration::severity).toList()));
        parts.add(count(r.secrets().size(), "secret")
                + bySeverity(r.secrets().stream().map(SecretFinding::severity).toList()));
        parts.add(r.complete() ? "complete" : "INCOMPLETE: " + r.unreadable().size() + " unreadable");
        return "Summary   " + String.join("; ", parts);
    }

    /** {@code n} and the noun, plural unless one: "1 secret", "0 secrets", "2 vulnerabilities". */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    private static String bySeverity(List<Severity> severities) {
        if (severities.isEmpty()) {
            return "";
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        severities.forEach(s -> counts.merge(s, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
            if (counts.containsKey(s)) {
                parts.add(s.name() + " " + counts.get(s));
            }
        }
        return " (" + String.join(", ", parts) + ")";
    }

    private static void table(PrintWriter out, String title, List<String> header, List<List<String>> rows) {
        if (rows.isEmpty() && title.startsWith("Unreadable")) {
            return;
        }
        out.println(title + " (" + rows.size() + ")");
        if (rows.isEmpty()) {
            out.println();
            return;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        line(out, header, width);
        rows.forEach(row -> line(out, row, width));
        out.println();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(cells.get(i));
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(width[i] - cells.get(i).length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
