package dev.portcullis.vulndb.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden comparison files ({@code versions/<scheme>.txt}): chains like {@code a < b == c}, each pair checked in
 * both directions, and lines starting with {@code !} listing strings that must be rejected. The versions of each
 * file are then used for property checks: antisymmetry, transitivity and equality of equivalent spellings.
 */
class VersionSchemeGoldenTest {
    private final VersionSchemes schemes = new VersionSchemes();

    private record Golden(List<String[]> relations, Set<String> versions, List<String> invalid) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"dpkg", "apk", "rpm", "maven", "pep440", "semver", "go", "rubygems", "nuget", "cargo"})
    void goldenComparisonsHoldInBothDirections(String name) throws IOException {
        VersionScheme scheme = scheme(name);
        Golden golden = load(name);
        assertThat(golden.relations).isNotEmpty();
        for (String[] r : golden.relations) {
            String a = r[0];
            String op = r[1];
            String b = r[2];
            int ab = scheme.compare(a, b);
            int ba = scheme.compare(b, a);
            if (op.equals("<")) {
                assertThat(ab).as("%s: %s < %s", name, a, b).isNegative();
                assertThat(ba).as("%s: %s > %s", name, b, a).isPositive();
            } else {
                assertThat(ab).as("%s: %s == %s", name, a, b).isZero();
                assertThat(ba).as("%s: %s == %s", name, b, a).isZero();
            }
        }
        for (String bad : golden.invalid) {
            assertThatThrownBy(() -> scheme.validate(bad)).as("%s rejects '%s'", name, bad)
                    .isInstanceOf(InvalidVersionException.class);
            assertThatThrownBy(() -> scheme.compare(bad, golden.versions.iterator().next()))
                    .isInstanceOf(InvalidVersionException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dpkg", "apk", "rpm", "maven", "pep440", "semver", "go", "rubygems", "nuget", "cargo"})
    void orderIsAntisymmetricTransitiveAndReflexive(String name) throws IOException {
        VersionScheme scheme = scheme(name);
        List<String> vs = new ArrayList<>(load(name).versions);
        int n = vs.size();
        int[][] c = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = Integer.signum(scheme.compare(vs.get(i), vs.get(j)));
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(c[i][i]).as("%s reflexive %s", name, vs.get(i)).isZero();
            for (int j = 0; j < n; j++) {
                assertThat(c[i][j]).as("%s antisymmetric %s %s", name, vs.get(i), vs.get(j)).isEqualTo(-c[j][i]);
                for (int k = 0; k < n; k++) {
                    if (c[i][j] <= 0 && c[j][k] <= 0) {
                        assertThat(c[i][k]).as("%s transitive %s <= %s <= %s", name, vs.get(i), vs.get(j), vs.get(k))
                                .isLessThanOrEqualTo(0);
                        if (c[i][j] < 0 || c[j][k] < 0) {
                            assertThat(c[i][k]).isNegative();
                        }
                    }
                }
            }
        }
    }

    private VersionScheme scheme(String name) {
        return schemes.byName(name).orElseThrow(() -> new AssertionError("no scheme " + name));
    }

    private static Golden load(String name) throws IOException {
        List<String[]> relations = new ArrayList<>();
        Set<String> versions = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        try (InputStream in = VersionSchemeGoldenTest.class.getResourceAsStream("/versions/" + name + ".txt")) {
            assertThat(in).as("golden file for %s", name).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] t = line.split("\\s+");
                if (t[0].equals("!")) {
                    invalid.addAll(List.of(t).subList(1, t.length));
                    continue;
                }
                versions.add(t[0]);
                for (int i = 1; i + 1 < t.length; i += 2) {
                    relations.add(new String[] {t[i - 1], t[i], t[i + 1]});
                    versions.add(t[i + 1]);
                }
            }
        }
        return new Golden(relations, versions, invalid);
    }
}
