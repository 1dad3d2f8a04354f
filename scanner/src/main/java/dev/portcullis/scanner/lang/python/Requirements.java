package dev.portcullis.scanner.lang.python;

import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code requirements*.txt}: only exact pins ({@code name==1.2.3} or {@code ===}) name an installed version;
 * ranges, URLs, editable installs and options ({@code -r}, {@code --hash}) do not and are left out.
 */
final class Requirements {
    static final int MAX_LINE = 64 * 1024;
    private static final Pattern PIN = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*])?\\s*===?\\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\\s*(?:;.*)?");

    private Requirements() {
    }

    static boolean isRequirementsFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.startsWith("requirements") && name.endsWith(".txt") && !path.contains("-packages/");
    }

    static List<Listed> parse(byte[] bytes) {
        List<Listed> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            lineNo++;
            if (raw.length() > MAX_LINE) {
                throw new PackageDataException("requirements line " + lineNo + " is longer than " + MAX_LINE);
            }
            String line = raw;
            int comment = line.indexOf(" #");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            if (line.endsWith("\\")) {
                line = line.substring(0, line.length() - 1);
            }
            int option = line.indexOf(" --");
            if (option >= 0) {
                line = line.substring(0, option); // per-requirement options such as --hash
            }
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("-")) {
                continue;
            }
            Matcher m = PIN.matcher(line);
            if (m.matches()) {
                out.add(new Listed(m.group(1), m.group(2), false));
            }
        }
        return out;
    }
}
