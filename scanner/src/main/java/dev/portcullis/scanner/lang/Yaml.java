package dev.portcullis.scanner.lang;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Untrusted YAML into a Jackson tree with SnakeYAML's limits: no aliases for collections (billion laughs),
 * bounded nesting and size. Only plain data is produced; no types are ever constructed from tags.
 */
public final class Yaml {
    private static final ObjectMapper MAPPER;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(64);
        options.setCodePointLimit(PackageFileAnalyzer.MAX_BYTES);
        MAPPER = new ObjectMapper(YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());
    }

    private Yaml() {
    }

    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode() || !node.isObject()) {
                throw new PackageDataException("YAML document is not a mapping");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PackageDataException p) {
                throw p;
            }
            throw new PackageDataException("malformed YAML: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
