package dev.portcullis.scanner.lang;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;

/** Untrusted TOML (Cargo.lock, poetry.lock) into a Jackson tree; input size is bounded by the caller. */
public final class Toml {
    private static final TomlMapper MAPPER = new TomlMapper();

    private Toml() {
    }

    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new PackageDataException("TOML document is not a table");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PackageDataException p) {
                throw p;
            }
            throw new PackageDataException("malformed TOML: " + Yaml.firstLine(e.getMessage()), e);
        }
    }
}
