package dev.portcullis.vulndb.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** The one place where package names are normalised, so that feeds and inventories meet on the same key. */
public final class PackageNames {
    private static final Pattern PEP503 = Pattern.compile("[-_.]+");

    private PackageNames() {
    }

    /** PyPI names per PEP 503 ({@code PyYAML} and {@code pyyaml} are one project); other ecosystems are exact. */
    public static String normalise(String ecosystem, String name) {
        if (ecosystem.equals("PyPI") || ecosystem.startsWith("PyPI:")) {
            return PEP503.matcher(name.strip()).replaceAll("-").toLowerCase(Locale.ROOT);
        }
        return name.strip();
    }
}
