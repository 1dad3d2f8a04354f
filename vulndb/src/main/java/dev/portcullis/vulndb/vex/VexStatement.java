package dev.portcullis.vulndb.vex;

import java.util.List;
import java.util.Objects;

/**
 * One VEX statement, in OpenVEX terms whatever the source format.
 *
 * @param vulnerabilities the vulnerability id and its aliases ({@code CVE-...}, {@code GHSA-...})
 * @param products package URLs the statement is about; one without a version covers every version
 * @param status {@code not_affected}, {@code affected}, {@code fixed} or {@code under_investigation}
 */
public record VexStatement(List<String> vulnerabilities, List<String> products, String status, String justification,
                           String detail, String document) {
    public VexStatement {
        vulnerabilities = List.copyOf(vulnerabilities);
        products = List.copyOf(products);
        Objects.requireNonNull(status, "status");
        justification = justification == null ? "" : justification;
        detail = detail == null ? "" : detail;
        document = document == null ? "" : document;
    }
}
