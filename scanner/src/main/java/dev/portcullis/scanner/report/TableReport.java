package dev.portcullis.scanner.report;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A readable summary for terminals: image, OS, then one aligned table per kind of finding. */
public final class TableReport {

    public void write(List<ScanResult> results, PrintWriter out) {
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
            for (Misconfiguration m : r.misconfigurations()) {
                rows.add(List.of(m.severity().name(), m.id(), m.title(), m.where() == null ? "" : m.where()));
            }
            table(out, "Misconfigurations", List.of("SEVERITY", "ID", "TITLE", "WHERE"), rows);
            rows = new ArrayList<>();
            for (SecretFinding s : r.secrets()) {
                rows.add(List.of(s.severity().name(), s.ruleId(), s.path() + (s.line() > 0 ? ":" + s.line() : ""),
                        s.redacted()));
            }
            table(out, "Secrets", List.of("SEVERITY", "RULE", "WHERE", "MATCH"), rows);
            rows = new ArrayList<>();
            for (Unreadable u : r.unreadable()) {
                rows.add(List.of(u.layer() == null ? "" : u.layer().encoded().substring(0, 12),
                        u.path() == null ? "" : u.path(), u.reason()));
            }
            table(out, "Unreadable (the result is incomplete)", List.of("LAYER", "PATH", "REASON"), rows);
        }
        out.flush();
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
