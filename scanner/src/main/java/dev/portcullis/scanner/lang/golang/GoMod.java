package dev.portcullis.scanner.lang.golang;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code go.mod}: the {@code require} directives (single-line and block), with module {@code replace}
 * directives that name a version applied. Since Go 1.17 go.mod lists every module the build needs.
 */
public final class GoMod {
    static final int MAX_LINE = 64 * 1024;

    private GoMod() {
    }

    public static Analyzer analyzer() {
        return new PackageFileAnalyzer("go-mod", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                PackageFileAnalyzer.fileNamed("go.mod"), GoMod::parse,
                (d, file, props) -> GoPackages.module(d.name(), d.version(), file, props));
    }

    static List<Listed> parse(byte[] bytes) {
        List<String[]> requires = new ArrayList<>();
        Map<String, String[]> replaces = new HashMap<>();
        String block = null;
        int lineNo = 0;
        for (String raw : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            lineNo++;
            if (raw.length() > MAX_LINE) {
                throw new PackageDataException("go.mod line " + lineNo + " is longer than " + MAX_LINE);
            }
            int comment = raw.indexOf("//");
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (block != null) {
                if (line.equals(")")) {
                    block = null;
                } else {
                    directive(block, line, requires, replaces, lineNo);
                }
                continue;
            }
            String[] words = line.split("\\s+", 2);
            if (words.length == 2 && words[1].equals("(")) {
                block = words[0];
            } else if (words.length == 2) {
                directive(words[0], words[1], requires, replaces, lineNo);
            }
        }
        List<Listed> out = new ArrayList<>();
        for (String[] r : requires) {
            String[] replaced = replaces.getOrDefault(r[0] + "@" + r[1], replaces.get(r[0]));
            String[] m = replaced != null ? replaced : r;
            out.add(new Listed(m[0], m[1], false));
        }
        return out;
    }

    private static void directive(String verb, String args, List<String[]> requires, Map<String, String[]> replaces,
                                  int lineNo) {
        String[] a = args.trim().split("\\s+");
        switch (verb) {
            case "require" -> {
                if (a.length < 2) {
                    throw new PackageDataException("go.mod line " + lineNo + ": require without a version");
                }
                requires.add(new String[] {unquote(a[0]), a[1]});
            }
            case "replace" -> {
                int arrow = List.of(a).indexOf("=>");
                // only a replacement by another module version names a package; a local path does not
                if (arrow > 0 && a.length == arrow + 3) {
                    String from = arrow == 2 ? unquote(a[0]) + "@" + a[1] : unquote(a[0]);
                    replaces.put(from, new String[] {unquote(a[arrow + 1]), a[arrow + 2]});
                }
            }
            default -> {
                // module, go, toolchain, exclude, retract: not dependencies
            }
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") || s.startsWith("`")) ? s.substring(1, s.length() - 1) : s;
    }
}
