package dev.portcullis.gate.pipeline;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.vulndb.match.Finding;
import java.util.List;
import java.util.Objects;

/**
 * One single-platform image scanned and matched: what the scanner found and the findings for its packages (VEX
 * already applied). The same value whether {@code portcullis scan} or the gate made it.
 */
public record ImageScan(ScanResult result, List<Finding> findings) {
    public ImageScan {
        Objects.requireNonNull(result, "result");
        findings = List.copyOf(findings);
    }
}
