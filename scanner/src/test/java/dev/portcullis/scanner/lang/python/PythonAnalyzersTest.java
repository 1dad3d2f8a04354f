package dev.portcullis.scanner.lang.python;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static dev.portcullis.scanner.lang.testing.Fixtures.purls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.lang.testing.CorpusImage;
import dev.portcullis.scanner.lang.testing.Inventory;
import org.junit.jupiter.api.Test;

class PythonAnalyzersTest {
    private final PythonMetadataAnalyzer installed = new PythonMetadataAnalyzer();
    private final Analyzer poetry = PythonLockfiles.all().get(0);
    private final Analyzer pipfile = PythonLockfiles.all().get(1);
    private final Analyzer requirements = PythonLockfiles.all().get(2);

    @Test
    void findsExactlyThePythonAppInventory() throws Exception {
        CorpusImage image = CorpusImage.open("python-app");
        CollectingSink sink = image.scan(installed, poetry, pipfile, requirements);

        assertThat(Inventory.actual(sink.packages)).containsExactlyInAnyOrderElementsOf(
                Inventory.expected(image.inventory()));
        assertThat(sink.unreadable).isEmpty();
        assertThat(sink.packages.stream().filter(p -> p.name().equals("PyYAML")).findFirst().orElseThrow()
                .licenses()).containsExactly("MIT");
    }

    @Test
    void pep503NamesAndLicenceClassifiers() {
        CollectingSink sink = analyze(installed, "usr/lib/python3/dist-packages/zope.interface-5.0.egg-info/PKG-INFO", """
                Metadata-Version: 2.1
                Name: Zope_Interface
                Version: 5.0
                License: UNKNOWN
                Classifier: License :: OSI Approved :: Zope Public License

                long description: Name: not-this
                """);
        assertThat(purls(sink)).containsExactly("pkg:pypi/zope-interface@5.0");
        assertThat(sink.packages.getFirst().licenses()).containsExactly("Zope Public License");
        assertThat(analyze(installed, "x/a-1.dist-info/METADATA", "Name: a\n").unreadable).hasSize(1);
    }

    @Test
    void lockfiles() {
        assertThat(purls(analyze(poetry, "app/poetry.lock", """
                [[package]]
                name = "Flask"
                version = "2.0.1"
                category = "main"

                [[package]]
                name = "pytest"
                version = "7.0.0"
                category = "dev"
                """))).containsExactly("pkg:pypi/flask@2.0.1", "pkg:pypi/pytest@7.0.0");
        assertThat(purls(analyze(pipfile, "app/Pipfile.lock", """
                {"_meta":{},"default":{"requests":{"version":"==2.25.1"},"vcs":{"git":"x"}},
                 "develop":{"Py_Test":{"version":"==7.0.0"}}}"""))).containsExactly(
                "pkg:pypi/requests@2.25.1", "pkg:pypi/py-test@7.0.0");
        assertThat(purls(analyze(requirements, "app/requirements-prod.txt", """
                # pinned
                -r base.txt
                requests[socks]==2.25.1 ; python_version >= "3.6"
                Django===2.2.28 \\
                    --hash=sha256:abc
                flask>=2.0
                -e git+https://example.invalid/x.git#egg=x
                urllib3 == 1.26.5  # comment
                """))).containsExactly("pkg:pypi/requests@2.25.1", "pkg:pypi/django@2.2.28",
                "pkg:pypi/urllib3@1.26.5");
        assertThat(requirements.accepts("usr/lib/python3/site-packages/x/requirements.txt", 1)).isFalse();
        assertThat(analyze(poetry, "poetry.lock", "[[package]\nname=").unreadable).hasSize(1);
    }
}
