package dev.portcullis.report;

import java.util.Locale;
import java.util.Optional;

/** The forms a verdict report is rendered in; each is a pure function of a {@link VerdictReport}. */
public enum ReportFormat {
    /** The documented JSON report ({@code docs/schemas/verdict-report.schema.json}). */
    JSON("json", "application/json"),
    /** SARIF 2.1.0 for code-scanning dashboards: findings, secrets and misconfigurations as results of rules. */
    SARIF("sarif", "application/sarif+json"),
    /** JUnit XML for CI systems: one failing test case per rejection. */
    JUNIT("junit.xml", "application/xml"),
    /** A self-contained page a person reads offline: no scripts, no external assets. */
    HTML("html", "text/html; charset=utf-8");

    private final String extension;
    private final String mediaType;

    ReportFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** The file-name extension the API serves the format under ({@code report.<extension>}). */
    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format whose extension is {@code extension}, or its lower-case name ({@code junit}). */
    public static Optional<ReportFormat> ofExtension(String extension) {
        for (ReportFormat f : values()) {
            if (f.extension.equals(extension) || f.name().toLowerCase(Locale.ROOT).equals(extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public byte[] render(VerdictReport report) {
        return switch (this) {
            case JSON -> JsonReport.render(report);
            case SARIF -> SarifReport.render(report);
            case JUNIT -> JunitReport.render(report);
            case HTML -> HtmlReport.render(report);
        };
    }
}
