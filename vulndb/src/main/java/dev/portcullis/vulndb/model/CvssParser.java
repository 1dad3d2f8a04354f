package dev.portcullis.vulndb.model;

import us.springett.cvss.Cvss;

/** Parses CVSS v2/v3.x/v4.0 vectors with the cvss-calculator library; an unparseable vector keeps a NaN score. */
public final class CvssParser {
    private CvssParser() {
    }

    public static Severity.Cvss parse(String vector) {
        String version = vector.startsWith("CVSS:") && vector.indexOf('/') > 5
                ? vector.substring(5, vector.indexOf('/')) : "2.0";
        try {
            Cvss cvss = Cvss.fromVector(vector);
            if (cvss == null) {
                return new Severity.Cvss(version, vector, Double.NaN);
            }
            return new Severity.Cvss(version, vector, cvss.calculateScore().getBaseScore());
        } catch (RuntimeException malformed) {
            // the library signals malformed vectors with unchecked exceptions; the vector stays visible as text
            return new Severity.Cvss(version, vector, Double.NaN);
        }
    }
}
