package dev.portcullis.vulndb.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** npm range semantics, cases from node-semver's documentation. */
class NpmRangeTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            <4.17.5           ; 4.17.4        ; true
            <4.17.5           ; 4.17.5        ; false
            <= 0.6.0          ; 0.6.0         ; true
            >= 0.6.1          ; 0.6.0         ; false
            >=1.2.7 <1.3.0    ; 1.2.8         ; true
            >=1.2.7 <1.3.0    ; 1.3.0         ; false
            1.2.7 || >=1.2.9 <2.0.0 ; 1.2.8   ; false
            1.2.7 || >=1.2.9 <2.0.0 ; 1.4.6   ; true
            1.2.3 - 2.3.4     ; 2.3.4         ; true
            1.2.3 - 2.3       ; 2.3.9         ; true
            1.2.3 - 2.3       ; 2.4.0         ; false
            1.2 - 2           ; 1.2.0         ; true
            ~1.2.3            ; 1.2.9         ; true
            ~1.2.3            ; 1.3.0         ; false
            ~1                ; 1.9.9         ; true
            ^1.2.3            ; 1.9.0         ; true
            ^1.2.3            ; 2.0.0         ; false
            ^0.2.3            ; 0.3.0         ; false
            ^0.0.3            ; 0.0.4         ; false
            ^0.0.3            ; 0.0.3         ; true
            ^0.x              ; 0.9.9         ; true
            1.2.x             ; 1.2.99        ; true
            1.x               ; 2.0.0         ; false
            *                 ; 0.0.1         ; true
            >1.2              ; 1.2.9         ; false
            >1.2              ; 1.3.0         ; true
            <1.2              ; 1.1.9         ; true
            <1.2              ; 1.2.0-beta    ; false
            >1.2.3-alpha.3    ; 1.2.3-alpha.7 ; true
            >1.2.3-alpha.3    ; 3.4.5-alpha.9 ; false
            >1.2.3-alpha.3    ; 3.4.5         ; true
            ^1.2.3-beta.2     ; 1.2.3-beta.4  ; true
            ^1.2.3-beta.2     ; 1.2.4-beta.2  ; false
            """)
    void contains(String range, String version, boolean expected) {
        assertThat(NpmRange.parse(range).contains(version)).as("%s in %s", version, range).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"'>=foo'", "'1.2.3 - '", "'~>'"})
    void rejectsMalformedRanges(String range) {
        assertThatThrownBy(() -> NpmRange.parse(range)).isInstanceOf(InvalidVersionException.class);
    }
}
