package dev.portcullis.scanner.lang.npm;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static dev.portcullis.scanner.lang.testing.Fixtures.purls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.lang.testing.CorpusImage;
import dev.portcullis.scanner.lang.testing.Inventory;
import org.junit.jupiter.api.Test;

class NodeModulesAnalyzerTest {
    private final NodeModulesAnalyzer analyzer = new NodeModulesAnalyzer();

    @Test
    void findsExactlyTheNodeAppInventory() throws Exception {
        CorpusImage image = CorpusImage.open("node-app");
        CollectingSink sink = image.scan(analyzer);

        assertThat(Inventory.actual(sink.packages)).containsExactlyInAnyOrderElementsOf(
                Inventory.expected(image.inventory()));
        assertThat(sink.unreadable).isEmpty();
        assertThat(sink.packages.stream().filter(p -> p.name().equals("express")).findFirst().orElseThrow()
                .licenses()).containsExactly("MIT");
    }

    @Test
    void onlyPackageRootsAreRead() {
        assertThat(analyzer.accepts("app/node_modules/a/package.json", 10)).isTrue();
        assertThat(analyzer.accepts("node_modules/@types/node/package.json", 10)).isTrue();
        assertThat(analyzer.accepts("app/node_modules/a/node_modules/b/package.json", 10)).isTrue();
        assertThat(analyzer.accepts("app/package.json", 10)).isFalse();
        assertThat(analyzer.accepts("app/node_modules/a/lib/package.json", 10)).isFalse();
        assertThat(analyzer.accepts("app/node_modules/@scope/package.json", 10)).isFalse();
        assertThat(analyzer.accepts("app/node_modules/.cache/package.json", 10)).isFalse();
    }

    @Test
    void scopedNamesAndOldLicenceForms() {
        CollectingSink sink = analyze(analyzer, "node_modules/@babel/core/package.json",
                "{\"name\":\"@babel/core\",\"version\":\"7.1.0\",\"licenses\":[{\"type\":\"MIT\"}]}");

        assertThat(purls(sink)).containsExactly("pkg:npm/%40babel/core@7.1.0");
        assertThat(sink.packages.getFirst().licenses()).containsExactly("MIT");
    }

    @Test
    void malformedOrIncompletePackageJsonIsUnreadable() {
        assertThat(analyze(analyzer, "node_modules/x/package.json", "{\"name\":\"x\"}").unreadable).hasSize(1);
        assertThat(analyze(analyzer, "node_modules/x/package.json", "{\"name\":").unreadable).hasSize(1);
    }
}
