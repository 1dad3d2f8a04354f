package dev.portcullis.scanner.lang.dotnet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import dev.portcullis.scanner.lang.Packages;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * .NET: NuGet packages an application was published with, from {@code *.deps.json} ({@code libraries} entries
 * of type {@code package}, keyed {@code Name/Version}), and declared ones from {@code packages.lock.json} (every
 * target framework, resolved versions, projects left out).
 */
public final class DotnetPackages {
    private DotnetPackages() {
    }

    public static Analyzer depsJson() {
        return new PackageFileAnalyzer("dotnet-deps", 1, PackageFileAnalyzer.Evidence.INSTALLED,
                path -> path.endsWith(".deps.json"), DotnetPackages::depsJson,
                (d, file, props) -> Packages.create(Ecosystem.NUGET, null, d.name(), d.version(), file.layer(),
                        file.path(), List.of(), props));
    }

    public static Analyzer packagesLock() {
        return new PackageFileAnalyzer("nuget-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                PackageFileAnalyzer.fileNamed("packages.lock.json"), DotnetPackages::packagesLock,
                (d, file, props) -> Packages.create(Ecosystem.NUGET, null, d.name(), d.version(), file.layer(),
                        file.path(), List.of(), props));
    }

    static List<Listed> depsJson(byte[] bytes) {
        JsonNode libraries = Json.parse(bytes).path("libraries");
        List<Listed> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : libraries.properties()) {
            if (!"package".equals(e.getValue().path("type").asText())) {
                continue; // "project" and "reference" entries are the application itself
            }
            int slash = e.getKey().indexOf('/');
            if (slash <= 0) {
                throw new PackageDataException("deps.json library '" + e.getKey() + "' is not Name/Version");
            }
            out.add(new Listed(e.getKey().substring(0, slash), e.getKey().substring(slash + 1), false));
        }
        return out;
    }

    static List<Listed> packagesLock(byte[] bytes) {
        JsonNode frameworks = Json.parse(bytes).path("dependencies");
        Set<Listed> out = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> framework : frameworks.properties()) {
            for (Map.Entry<String, JsonNode> dep : framework.getValue().properties()) {
                JsonNode d = dep.getValue();
                if (!"Project".equals(d.path("type").asText()) && d.path("resolved").isTextual()) {
                    out.add(new Listed(dep.getKey(), d.path("resolved").asText(), false));
                }
            }
        }
        return List.copyOf(out);
    }
}
