package dev.portcullis.scanner.lang.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maven coordinates of the components in one archive: one per {@code pom.properties} (a shaded jar carries
 * several); without any, the manifest and then the file name. The manifest never states a group id for
 * Gradle-built jars, so it comes from {@code Implementation-Vendor-Id}, an OSGi {@code Bundle-SymbolicName} that
 * ends in the artifact id, or the known group of a well-known artifact family.
 *
 * @param evidence the file inside the archive the identity comes from, or {@code file name}
 */
record MavenCoordinates(String group, String artifact, String version, String evidence) {

    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9_.-]+");
    /** {@code name-1.2.3(-qualifier).jar}: the version starts at the first dash followed by a digit. */
    private static final Pattern FILE_NAME = Pattern.compile("(.+?)-(\\d[^/]*)\\.(?i:jar|war|ear)");

    /**
     * Artifact families built with Gradle whose jars carry no pom.properties and no group in the manifest; longest
     * prefix first. Only families where every artifact with the prefix is in the group are listed.
     */
    private static final List<Map.Entry<String, String>> KNOWN_GROUPS = List.of(
            Map.entry("spring-boot", "org.springframework.boot"),
            Map.entry("spring-security-", "org.springframework.security"),
            Map.entry("spring-data-", "org.springframework.data"),
            Map.entry("spring-cloud-", "org.springframework.cloud"),
            Map.entry("spring-", "org.springframework"));

    /** All components the archive identifies; empty when it says nothing usable about itself. */
    static List<MavenCoordinates> of(ArchiveFacts facts) {
        List<MavenCoordinates> out = new ArrayList<>();
        for (Properties pom : facts.poms()) {
            String g = clean(pom.getProperty("groupId"));
            String a = clean(pom.getProperty("artifactId"));
            String v = clean(pom.getProperty("version"));
            if (g != null && a != null && v != null) {
                out.add(new MavenCoordinates(g, a, v, "META-INF/maven/" + g + "/" + a + "/pom.properties"));
            }
        }
        if (out.isEmpty()) {
            fromManifest(facts).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<MavenCoordinates> fromManifest(ArchiveFacts facts) {
        Map<String, String> m = facts.manifest();
        Matcher file = FILE_NAME.matcher(facts.fileName());
        boolean fileMatches = file.matches();
        String title = clean(m.get("Implementation-Title"));
        String artifact = title != null && ARTIFACT_ID.matcher(title).matches() ? title
                : fileMatches ? file.group(1) : null;
        String version = firstOf(clean(m.get("Implementation-Version")), clean(m.get("Bundle-Version")),
                fileMatches ? file.group(2) : null);
        if (artifact == null || version == null) {
            return Optional.empty();
        }
        String group = group(m, artifact);
        if (group == null) {
            return Optional.empty();
        }
        boolean fromManifest = title != null || m.containsKey("Implementation-Version");
        return Optional.of(new MavenCoordinates(group, artifact, version,
                fromManifest ? "META-INF/MANIFEST.MF" : "file name"));
    }

    private static String group(Map<String, String> manifest, String artifact) {
        String vendorId = clean(manifest.get("Implementation-Vendor-Id"));
        if (vendorId != null && ARTIFACT_ID.matcher(vendorId).matches()) {
            return vendorId;
        }
        String bundle = clean(manifest.get("Bundle-SymbolicName"));
        if (bundle != null) {
            bundle = bundle.split(";", 2)[0].trim();
            if (bundle.endsWith("." + artifact)) {
                return bundle.substring(0, bundle.length() - artifact.length() - 1);
            }
        }
        for (Map.Entry<String, String> known : KNOWN_GROUPS) {
            if (artifact.startsWith(known.getKey())) {
                return known.getValue();
            }
        }
        return null;
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Blank and unresolved {@code ${...}} placeholders count as absent. */
    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() || t.contains("${") ? null : t;
    }
}
