package dev.portcullis.vulndb.match;

import java.util.Objects;

/**
 * What a VEX statement says about a finding. The finding stays in the report with this attached: a statement
 * informs policy, it does not hide anything.
 *
 * @param status OpenVEX status words: {@code not_affected}, {@code affected}, {@code fixed},
 *     {@code under_investigation}
 * @param justification e.g. {@code vulnerable_code_not_in_execute_path}, may be empty
 * @param document where the statement came from
 */
public record VexAssessment(String status, String justification, String detail, String document) {
    public VexAssessment {
        Objects.requireNonNull(status, "status");
        justification = justification == null ? "" : justification;
        detail = detail == null ? "" : detail;
        document = document == null ? "" : document;
    }
}
