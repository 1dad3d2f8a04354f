package dev.portcullis.vulndb.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.version.VersionScheme;
import dev.portcullis.vulndb.version.VersionSchemes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OSV range semantics, events given in any order; cases written from the OSV schema's evaluation rules. */
class RangeEvaluationTest {
    private static final VersionScheme SEMVER = new VersionSchemes().forEcosystem("npm").orElseThrow();

    private static Range range(String spec) {
        List<Range.Event> events = new ArrayList<>();
        for (String e : spec.split(" ")) {
            String[] kv = e.split("=");
            Range.Kind kind = switch (kv[0]) {
                case "i" -> Range.Kind.INTRODUCED;
                case "f" -> Range.Kind.FIXED;
                case "la" -> Range.Kind.LAST_AFFECTED;
                default -> Range.Kind.LIMIT;
            };
            events.add(new Range.Event(kind, kv[1]));
        }
        return new Range("SEMVER", events);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            i=0 f=1.2.0                 ; 1.1.9  ; true
            i=0 f=1.2.0                 ; 1.2.0  ; false
            f=1.2.0 i=0                 ; 0.0.1  ; true
            i=1.0.0 f=1.2.0             ; 0.9.0  ; false
            i=0 la=1.2.0                ; 1.2.0  ; true
            i=0 la=1.2.0                ; 1.2.1  ; false
            i=0 f=1.0.0 i=2.0.0 f=2.1.0 ; 1.5.0  ; false
            i=2.0.0 f=2.1.0 i=0 f=1.0.0 ; 2.0.5  ; true
            i=0 f=1.0.0 i=2.0.0 f=2.1.0 ; 3.0.0  ; false
            i=0 f=1.0.0 i=2.0.0         ; 9.0.0  ; true
            i=0 l=2.0.0                 ; 2.5.0  ; false
            i=0 l=2.0.0                 ; 1.5.0  ; true
            i=0                         ; 0.0.0  ; true
            i=1.0.0-0 f=1.0.0           ; 1.0.0-beta ; true
            """)
    void evaluatesLikeTheOsvWalk(String events, String version, boolean affected) {
        assertThat(Matcher.inRange(SEMVER, range(events), new Matcher.Installed(SEMVER, version)))
                .as("%s in [%s]", version, events).isEqualTo(affected);
    }
}
