package dev.portcullis.scanner.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pnpm-lock.yaml}: every resolved package is a key of {@code packages}. Key forms by lockfile version:
 * v5 {@code /name/1.2.3_peer@1.0.0}, v6 {@code /name@1.2.3(peer@1)}, v9 {@code name@1.2.3}; scoped names keep
 * their {@code @scope/} prefix. Peer-dependency suffixes are not part of the version.
 */
final class PnpmLock {
    private PnpmLock() {
    }

    static List<Listed> parse(byte[] bytes) {
        JsonNode root = Yaml.parse(bytes);
        List<Listed> out = new ArrayList<>();
        JsonNode packages = root.path("packages");
        if (!packages.isObject()) {
            return out;
        }
        boolean v5 = root.path("lockfileVersion").asDouble(6) < 6;
        for (Map.Entry<String, JsonNode> e : packages.properties()) {
            String key = e.getKey();
            JsonNode p = e.getValue();
            String bare = key.startsWith("/") ? key.substring(1) : key;
            String[] nv = v5 ? slashForm(key, bare) : atForm(key, bare);
            String name = p.path("name").isTextual() ? p.path("name").asText() : nv[0];
            String version = p.path("version").isTextual() ? p.path("version").asText() : nv[1];
            if (version.contains(":")) {
                continue; // link:, file:, git tarball keys: not registry packages
            }
            out.add(new Listed(name, version, p.path("dev").asBoolean(false)));
        }
        return out;
    }

    /** v6 and later: {@code name@version(peers)}. */
    private static String[] atForm(String key, String bare) {
        String k = bare;
        int paren = k.indexOf('(');
        if (paren > 0) {
            k = k.substring(0, paren);
        }
        int at = k.lastIndexOf('@');
        if (at <= 0) {
            throw new PackageDataException("pnpm-lock.yaml: cannot read a name and version from '" + key + "'");
        }
        return new String[] {k.substring(0, at), k.substring(at + 1)};
    }

    /** v5: {@code name/version_peers} where a scoped name has two segments and peers never contain '/'. */
    private static String[] slashForm(String key, String bare) {
        int slash = bare.indexOf('/', bare.startsWith("@") ? bare.indexOf('/') + 1 : 0);
        if (slash <= 0 || slash == bare.length() - 1) {
            throw new PackageDataException("pnpm-lock.yaml: cannot read a name and version from '" + key + "'");
        }
        String version = bare.substring(slash + 1);
        int underscore = version.indexOf('_');
        return new String[] {bare.substring(0, slash), underscore > 0 ? version.substring(0, underscore) : version};
    }
}
