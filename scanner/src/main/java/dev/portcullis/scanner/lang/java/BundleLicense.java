package dev.portcullis.scanner.lang.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Licences from an OSGi {@code Bundle-License} manifest header: a comma-separated list of licence names or URLs
 * with optional {@code ;description=...} attributes. The URLs of the common licences become their SPDX ids; any
 * other entry is kept as written.
 */
final class BundleLicense {
    static final int MAX_LICENSES = 16;

    private static final Map<String, String> SPDX_BY_URL = Map.of(
            "www.apache.org/licenses/license-2.0.txt", "Apache-2.0",
            "www.apache.org/licenses/license-2.0", "Apache-2.0",
            "www.apache.org/licenses/license-2.0.html", "Apache-2.0",
            "opensource.org/licenses/mit", "MIT",
            "opensource.org/licenses/mit-license.php", "MIT",
            "www.eclipse.org/legal/epl-2.0", "EPL-2.0",
            "www.eclipse.org/legal/epl-v10.html", "EPL-1.0",
            "www.gnu.org/licenses/old-licenses/lgpl-2.1.html", "LGPL-2.1-only",
            "opensource.org/licenses/bsd-3-clause", "BSD-3-Clause");

    private BundleLicense() {
    }

    static List<String> parse(String header) {
        List<String> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String entry : header.split(",")) {
            String name = entry.split(";", 2)[0].trim().replace("\"", "");
            if (name.isEmpty() || out.size() == MAX_LICENSES) {
                continue;
            }
            String key = name.toLowerCase(Locale.ROOT).replaceFirst("^https?://", "").replaceFirst("/$", "");
            out.add(SPDX_BY_URL.getOrDefault(key, name));
        }
        return out;
    }
}
