package dev.portcullis.scanner.report;

import dev.portcullis.scanner.ScanResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The output formats of {@code portcullis scan}; SBOM formats describe exactly one image. */
public enum ReportFormat {
    TABLE(false), JSON(false), CYCLONEDX(true), SPDX(true), SARIF(false);

    private final boolean singleImage;

    ReportFormat(boolean singleImage) {
        this.singleImage = singleImage;
    }

    /** Whether the format can describe only one platform's image. */
    public boolean singleImage() {
        return singleImage;
    }

    public void write(List<ScanResult> results, Tool tool, Supplier<UUID> uuids, OutputStream out) throws IOException {
        if (singleImage && results.size() != 1) {
            throw new IllegalArgumentException(name().toLowerCase() + " describes one image; got " + results.size());
        }
        switch (this) {
            case TABLE -> new TableReport().write(results,
                    new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
            case JSON -> new JsonReport().write(results, out);
            case CYCLONEDX -> new CycloneDxReport(tool, uuids).write(results.getFirst(), out);
            case SPDX -> new SpdxReport(tool, uuids).write(results.getFirst(), out);
            case SARIF -> new SarifReport(tool).write(results, out);
        }
        out.flush();
    }
}
