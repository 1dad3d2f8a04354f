package dev.portcullis.scanner.lang.java;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one Java archive says about itself.
 *
 * @param path     path of the archive in the image; {@code !/} separates entries of nested archives
 * @param sha1     lower-case hex SHA-1 of the archive's bytes
 * @param poms     every {@code META-INF/maven/**}{@code /pom.properties} (several in a shaded jar)
 * @param manifest main attributes of {@code META-INF/MANIFEST.MF}, empty when absent
 */
record ArchiveFacts(String path, String sha1, List<Properties> poms, Map<String, String> manifest) {

    ArchiveFacts {
        poms = List.copyOf(poms);
        manifest = Map.copyOf(manifest);
    }

    /** The last path component, e.g. {@code guava-29.0-jre.jar}. */
    String fileName() {
        int bang = path.lastIndexOf("!/");
        String last = bang < 0 ? path : path.substring(bang + 2);
        return last.substring(last.lastIndexOf('/') + 1);
    }
}
