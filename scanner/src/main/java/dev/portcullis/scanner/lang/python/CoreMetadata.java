package dev.portcullis.scanner.lang.python;

import dev.portcullis.scanner.lang.PackageDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python core metadata ({@code METADATA}, {@code PKG-INFO}): RFC 822 style headers up to the first empty line.
 * Licences come from {@code License-Expression}, else {@code License} (when it is a short name rather than the
 * licence text some packages paste there), else the {@code License ::} trove classifiers.
 */
record CoreMetadata(String name, String version, List<String> licenses) {
    static final int MAX_LICENSE_NAME = 100;

    CoreMetadata {
        licenses = List.copyOf(licenses);
    }

    static CoreMetadata parse(byte[] bytes) {
        String name = null;
        String version = null;
        String expression = null;
        String license = null;
        List<String> classifiers = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isEmpty()) {
                break; // the body (long description) follows the first empty line
            }
            if (Character.isWhitespace(line.charAt(0))) {
                continue; // continuation of a folded header
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key.toLowerCase(Locale.ROOT)) {
                case "name" -> name = name == null ? value : name;
                case "version" -> version = version == null ? value : version;
                case "license-expression" -> expression = value;
                case "license" -> license = value;
                case "classifier" -> {
                    if (value.startsWith("License ::")) {
                        String[] parts = value.split("::");
                        classifiers.add(parts[parts.length - 1].trim());
                    }
                }
                default -> {
                }
            }
        }
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            throw new PackageDataException("core metadata without Name or Version");
        }
        List<String> licenses = new ArrayList<>();
        if (expression != null && !expression.isEmpty()) {
            licenses.add(expression);
        } else if (license != null && !license.isEmpty() && !license.equalsIgnoreCase("UNKNOWN")
                && license.length() <= MAX_LICENSE_NAME) {
            licenses.add(license);
        } else {
            licenses.addAll(classifiers);
        }
        return new CoreMetadata(name, version, licenses);
    }
}
