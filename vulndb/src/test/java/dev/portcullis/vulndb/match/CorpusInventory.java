package dev.portcullis.vulndb.match;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a corpus image's ground-truth {@code inventory.json} into matcher input, as the scanner adapter will. */
final class CorpusInventory {
    private CorpusInventory() {
    }

    static List<InstalledPackage> read(Path imageDir) throws IOException {
        JsonNode inv = Json.parse(Files.readAllBytes(imageDir.resolve("inventory.json")));
        JsonNode os = inv.path("os");
        InstalledPackage.Distro distro = os.isObject()
                ? new InstalledPackage.Distro(os.path("id").asText(), os.path("version_id").asText()) : null;
        List<InstalledPackage> out = new ArrayList<>();
        for (JsonNode p : inv.path("packages")) {
            String type = p.path("ecosystem").asText();
            String source = p.hasNonNull("source_name") ? p.path("source_name").asText() : p.path("origin").asText("");
            out.add(new InstalledPackage(type, p.path("name").asText(), p.path("version").asText(),
                    p.path("purl").asText(""), source, p.path("source_version").asText(""),
                    type.equals("deb") || type.equals("apk") ? distro : null, "", p.path("path").asText()));
        }
        return out;
    }
}
