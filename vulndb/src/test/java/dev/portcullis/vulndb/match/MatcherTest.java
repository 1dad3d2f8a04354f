package dev.portcullis.vulndb.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.vulndb.feed.Feed;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import dev.portcullis.vulndb.version.VersionSchemes;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the matcher looks a package up, and the explicit unevaluable outcomes (fail closed). */
class MatcherTest {
    private final InMemoryAdvisories advisories = new InMemoryAdvisories();
    private final Matcher matcher = new Matcher(advisories, new VersionSchemes());

    private static Range below(String fixed) {
        return new Range("ECOSYSTEM", List.of(new Range.Event(Range.Kind.INTRODUCED, "0"),
                new Range.Event(Range.Kind.FIXED, fixed)));
    }

    private void advisory(String id, String ecosystem, String name, Range range) {
        advisories.accept(new Feed("test", "osv", false), new Advisory("test", id, List.of("CVE-" + id), "",
                Severity.NONE, null, null, "", List.of(new Affected(ecosystem, name, List.of(range), List.of(), ""))));
    }

    @BeforeEach
    void feeds() {
        advisory("U1", "Ubuntu:22.04:LTS", "openssl", below("3.0.2-0ubuntu1.10"));
        advisory("P1", "PyPI", "pyyaml", below("5.4"));
        advisory("G1", "Go", "stdlib", below("1.20.5"));
        advisory("M1", "Maven", "org.example:lib", below("2.0"));
        advisory("R1", "Rocky Linux:9", "openssl", below("1:3.0.7-18.el9"));
    }

    @Test
    void looksUpDistroPackagesBySourceAndReleaseAndLanguagePackagesByNormalisedName() {
        InstalledPackage ubuntu = new InstalledPackage("deb", "libssl3", "3.0.2-0ubuntu1.8", "", "openssl", "",
                new InstalledPackage.Distro("ubuntu", "22.04"), "", "var/lib/dpkg/status");
        InstalledPackage yaml = new InstalledPackage("pypi", "PyYAML", "5.3.1", "", "", "", null, "", "site-packages");
        InstalledPackage go = new InstalledPackage("golang", "stdlib", "go1.20.4", "", "", "", null, "", "bin/app");
        InstalledPackage rocky = new InstalledPackage("rpm", "openssl-libs", "1:3.0.7-16.el9", "", "openssl", "",
                new InstalledPackage.Distro("rocky", "9.3"), "", "var/lib/rpm");
        assertThat(matcher.match(List.of(ubuntu, yaml, go, rocky))).extracting(Finding::advisoryId)
                .containsExactly("U1", "P1", "G1", "R1");
    }

    @Test
    void unknownEcosystemMissingDistroAndUncoveredReleaseAreUnevaluable() {
        List<Finding> f = matcher.match(List.of(
                new InstalledPackage("composer", "symfony/http-kernel", "5.0.0", "", "", "", null, "", "vendor"),
                new InstalledPackage("deb", "libc6", "2.36-9", "", "glibc", "", null, "", "var/lib/dpkg/status"),
                new InstalledPackage("deb", "libc6", "2.36-9", "", "glibc", "",
                        new InstalledPackage.Distro("debian", "13"), "", "var/lib/dpkg/status")));
        assertThat(f).allMatch(x -> x.kind() == Finding.Kind.UNEVALUABLE).extracting(Finding::note).containsExactly(
                "no vulnerability data or version scheme for package type 'composer'",
                "deb package without a known distribution release",
                "no advisory data imported for Debian:13");
        // policies match on the reason, never on the note
        assertThat(f).extracting(Finding::unevaluable).containsExactly(Finding.Unevaluable.UNKNOWN_ECOSYSTEM,
                Finding.Unevaluable.UNKNOWN_DISTRIBUTION, Finding.Unevaluable.NO_ADVISORY_DATA);
    }

    @Test
    void unparseableVersionIsUnevaluableOnlyWhereAnAdvisoryNamesThePackage() {
        List<Finding> f = matcher.match(List.of(
                new InstalledPackage("pypi", "pyyaml", "not a version", "", "", "", null, "", "x"),
                new InstalledPackage("pypi", "other", "not a version", "", "", "", null, "", "y")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.UNEVALUABLE);
            assertThat(x.advisoryId()).isEqualTo("P1");
            assertThat(x.note()).contains("not a PEP 440 version");
            assertThat(x.unevaluable()).isEqualTo(Finding.Unevaluable.UNPARSEABLE_VERSION);
        });
    }

    @Test
    void advisoryBoundThatCannotBeParsedIsUnevaluableNotANegative() {
        advisory("M2", "Maven", "org.example:other", new Range("SEMVER", List.of(
                new Range.Event(Range.Kind.INTRODUCED, "0"), new Range.Event(Range.Kind.FIXED, "not-semver"))));
        List<Finding> f = matcher.match(new InstalledPackage("maven", "org.example:other", "1.0", "", "", "", null,
                "", "lib/other.jar"));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.UNEVALUABLE);
            assertThat(x.note()).startsWith("advisory range cannot be evaluated");
            assertThat(x.unevaluable()).isEqualTo(Finding.Unevaluable.UNREADABLE_RANGE);
        });
    }
}
