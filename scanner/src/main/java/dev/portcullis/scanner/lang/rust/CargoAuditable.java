package dev.portcullis.scanner.lang.rust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.Packages;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Rust binaries built with cargo-auditable: the {@code .dep-v0} ELF section holds the zlib-compressed JSON list
 * of every crate compiled in. Crates from a registry or git are packages; the binary's own workspace crates
 * ({@code local}) and build-time-only dependencies (not linked into the binary) are not.
 */
public final class CargoAuditable {
    public static final String SECTION = ".dep-v0";
    static final int MAX_JSON = 8 * 1024 * 1024;

    private CargoAuditable() {
    }

    public static void analyze(byte[] section, LayerFile file, Sink sink) {
        List<Listed> crates;
        try {
            crates = parse(section);
        } catch (PackageDataException | Json.JsonFormatException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), "cargo-auditable: " + e.getMessage()));
            return;
        }
        for (Listed c : crates) {
            try {
                sink.pkg(Packages.create(Ecosystem.CARGO, null, c.name(), c.version(), file.layer(), file.path(),
                        List.of(), Map.of("evidence", "cargo-auditable")));
            } catch (PackageDataException e) {
                sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
            }
        }
    }

    static List<Listed> parse(byte[] section) {
        JsonNode root = Json.parse(inflate(section));
        List<Listed> out = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            String source = p.path("source").asText("");
            if (source.equals("local") || p.path("kind").asText("runtime").equals("build")) {
                continue;
            }
            out.add(new Listed(p.path("name").asText(null), p.path("version").asText(null), false));
        }
        return out;
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new PackageDataException("cargo-auditable section is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_JSON) {
                    throw new PackageDataException("cargo-auditable data inflates to more than " + MAX_JSON
                            + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new PackageDataException("cargo-auditable section is not zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
