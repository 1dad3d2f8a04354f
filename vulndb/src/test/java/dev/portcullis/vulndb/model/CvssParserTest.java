package dev.portcullis.vulndb.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CvssParserTest {
    @Test
    void scoresV31AndV40VectorsAndKeepsMalformedOnesVisible() {
        Severity.Cvss v31 = CvssParser.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assertThat(v31.version()).isEqualTo("3.1");
        assertThat(v31.baseScore()).isEqualTo(9.8);
        Severity.Cvss v40 = CvssParser.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        assertThat(v40.version()).isEqualTo("4.0");
        assertThat(v40.baseScore()).isEqualTo(9.3);
        Severity.Cvss bad = CvssParser.parse("CVSS:3.1/AV:X");
        assertThat(bad.baseScore()).isNaN();
        assertThat(bad.vector()).isEqualTo("CVSS:3.1/AV:X");
    }

    @Test
    void levelComesFromHighestScoreThenRatingAndUnknownFailsClosed() {
        assertThat(new Severity(List.of(CvssParser.parse("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N")), "HIGH")
                .level()).isEqualTo(Severity.Level.LOW);
        assertThat(new Severity(List.of(), "MODERATE").level()).isEqualTo(Severity.Level.MEDIUM);
        assertThat(new Severity(List.of(), "unimportant").level()).isEqualTo(Severity.Level.LOW);
        assertThat(Severity.NONE.level()).isEqualTo(Severity.Level.UNKNOWN);
        assertThat(Severity.Level.UNKNOWN.atLeast(Severity.Level.HIGH)).isTrue();
        assertThat(Severity.Level.MEDIUM.atLeast(Severity.Level.HIGH)).isFalse();
    }
}
