package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} lists exactly the keys of {@link ConfigKeys}, as they are declared. When this fails
 * after a key changed, regenerate the table with {@code -Dportcullis.updateDocs=true} and review the diff.
 */
class ConfigurationDocsTest {
    private static final String BEGIN = "<!-- generated from ConfigKeys by ConfigurationDocsTest: begin -->\n";
    private static final String END = "<!-- generated from ConfigKeys by ConfigurationDocsTest: end -->\n";

    @Test
    void theReferenceTableIsTheKeyTable() throws IOException {
        Path docs = checkout().resolve("docs/configuration.md");
        String text = Files.readString(docs);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s has the generated-table markers", docs).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String documented = text.substring(begin + BEGIN.length(), end);
        String declared = table();
        if (!documented.equals(declared) && Boolean.getBoolean("portcullis.updateDocs")) {
            Files.writeString(docs, text.substring(0, begin + BEGIN.length()) + declared + text.substring(end));
            documented = declared;
        }
        assertThat(documented).as("docs/configuration.md disagrees with ConfigKeys; rerun this test with"
                + " -Dportcullis.updateDocs=true to regenerate it").isEqualTo(declared);
    }

    static String table() {
        return "| key | environment | flag | value | default | meaning |\n|---|---|---|---|---|---|\n"
                + ConfigKeys.ALL.stream().map(ConfigurationDocsTest::row).collect(Collectors.joining());
    }

    private static String row(ConfigKey<?> key) {
        String flag = key.flag().map(f -> "`" + f + (key.type().isSwitch() ? "" : " " + key.type().label()) + "`")
                .orElse("");
        String def = key.defaultValue().isPresent() ? "`" + key.defaultText() + "`" : key.defaultText();
        return "| " + String.join(" | ", "`" + key.name() + "`" + (key.fileKey() ? "" : " (environment only)"),
                "`" + key.env() + "`", flag, key.type().form(), def, key.description()).replace("\n", " ")
                + " |\n";
    }

    private static Path checkout() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
            assertThat(dir).as("the checkout root, holding mvnw").isNotNull();
        }
        return dir;
    }
}
