package dev.portcullis.scanner.lang.python;

import static dev.portcullis.scanner.lang.PackageFileAnalyzer.Evidence.LOCKFILE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import dev.portcullis.scanner.lang.Toml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Listed Python dependencies: poetry.lock, Pipfile.lock and pinned requirements files. */
public final class PythonLockfiles {
    private PythonLockfiles() {
    }

    public static List<Analyzer> all() {
        PackageFileAnalyzer.ToPackage toPackage = (d, file, props) ->
                PyPiPackages.create(d.name(), d.version(), List.of(), file.layer(), file.path(), props);
        return List.of(
                new PackageFileAnalyzer("poetry-lock", 1, LOCKFILE, PackageFileAnalyzer.fileNamed("poetry.lock"),
                        PythonLockfiles::poetry, toPackage),
                new PackageFileAnalyzer("pipfile-lock", 1, LOCKFILE, PackageFileAnalyzer.fileNamed("Pipfile.lock"),
                        PythonLockfiles::pipfile, toPackage),
                new PackageFileAnalyzer("pip-requirements", 1, LOCKFILE, Requirements::isRequirementsFile,
                        Requirements::parse, toPackage));
    }

    /** {@code [[package]]} tables with {@code name}, {@code version} and (before Poetry 1.5) {@code category}. */
    static List<Listed> poetry(byte[] bytes) {
        List<Listed> out = new ArrayList<>();
        for (JsonNode p : Toml.parse(bytes).path("package")) {
            out.add(new Listed(p.path("name").asText(null), p.path("version").asText(null),
                    "dev".equals(p.path("category").asText(""))));
        }
        return out;
    }

    /** {@code default} and {@code develop} sections mapping names to {@code {"version": "==1.2.3"}}. */
    static List<Listed> pipfile(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        List<Listed> out = new ArrayList<>();
        for (String section : List.of("default", "develop")) {
            for (Map.Entry<String, JsonNode> e : root.path(section).properties()) {
                String version = e.getValue().path("version").asText("");
                if (version.startsWith("==")) {
                    out.add(new Listed(e.getKey(), version.substring(2), section.equals("develop")));
                }
            }
        }
        return out;
    }
}
