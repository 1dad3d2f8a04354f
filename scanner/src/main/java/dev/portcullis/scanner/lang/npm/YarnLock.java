package dev.portcullis.scanner.lang.npm;

import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code yarn.lock}, classic (v1, {@code version "1.2.3"}) and Berry (v2+, YAML-like {@code version: 1.2.3}).
 * Each unindented block header lists the specifiers it resolves ({@code "lodash@^4.17.0", lodash@^4.17.21:});
 * the package name is the part of the first specifier before its last {@code @}. Workspace, link and portal
 * entries are the project's own folders, not packages.
 */
final class YarnLock {
    static final int MAX_LINE = 64 * 1024;

    private YarnLock() {
    }

    static List<Listed> parse(byte[] bytes) {
        List<Listed> out = new ArrayList<>();
        String name = null;
        boolean skip = false;
        int lineNo = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            lineNo++;
            if (line.length() > MAX_LINE) {
                throw new PackageDataException("yarn.lock line " + lineNo + " is longer than " + MAX_LINE);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (!line.endsWith(":")) {
                    throw new PackageDataException("yarn.lock line " + lineNo + ": block header must end with ':'");
                }
                String first = line.substring(0, line.length() - 1).split(",", 2)[0].trim();
                first = unquote(first);
                skip = first.equals("__metadata") || first.contains("@workspace:") || first.contains("@link:")
                        || first.contains("@portal:") || first.contains("@file:");
                int at = first.lastIndexOf('@');
                if (!skip && at <= 0) {
                    throw new PackageDataException("yarn.lock line " + lineNo + ": no name@range in '" + first + "'");
                }
                name = skip ? null : first.substring(0, at);
                continue;
            }
            String t = line.trim();
            if (name != null && line.startsWith("  ") && !line.startsWith("   ")
                    && (t.startsWith("version ") || t.startsWith("version:"))) {
                String version = unquote(t.substring("version".length() + 1).trim());
                out.add(new Listed(name, version, false));
                name = null;
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
