package dev.portcullis.scanner.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a Debian control-style file (dpkg {@code status}) into paragraphs of {@code Field: value} lines.
 * Continuation lines (starting with a space or tab) are appended to the previous field. Bounded in paragraph
 * count and fields per paragraph.
 */
final class Stanzas {
    static final int MAX_PARAGRAPHS = 100_000;
    static final int MAX_FIELDS = 200;

    /** One paragraph with the line it started on (1-based), for error messages. */
    record Paragraph(int line, Map<String, String> fields) {
        String get(String name) {
            return fields.get(name);
        }
    }

    private Stanzas() {
    }

    static List<Paragraph> parse(String text) {
        List<Paragraph> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        int start = 1;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    add(out, new Paragraph(start, fields));
                    fields = new LinkedHashMap<>();
                }
                last = null;
                start = lineNo + 1;
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (last == null) {
                    throw new DatabaseFormatException("line " + lineNo + ": continuation line without a field");
                }
                // only the first line of multi-line fields (Description, Conffiles) matters for inventory
                continue;
            }
            if (line.charAt(0) == '#') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new DatabaseFormatException("line " + lineNo + ": expected 'Field: value'");
            }
            last = line.substring(0, colon);
            if (fields.size() >= MAX_FIELDS) {
                throw new DatabaseFormatException("line " + lineNo + ": more than " + MAX_FIELDS + " fields");
            }
            fields.put(last, line.substring(colon + 1).trim());
        }
        if (!fields.isEmpty()) {
            add(out, new Paragraph(start, fields));
        }
        return out;
    }

    private static void add(List<Paragraph> out, Paragraph p) {
        if (out.size() >= MAX_PARAGRAPHS) {
            throw new DatabaseFormatException("more than " + MAX_PARAGRAPHS + " paragraphs");
        }
        out.add(p);
    }
}
