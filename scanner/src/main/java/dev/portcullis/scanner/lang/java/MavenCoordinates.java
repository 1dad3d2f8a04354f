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

    /**
     * Identity from the manifest and the file name, used only where they agree: the artifact id is the file name's
     * (an {@code Implementation-Title} or module name naming another artifact makes the archive ambiguous), the
     * version is the file name's when a manifest version states the same (a manifest stating only other versions
     * makes it ambiguous), and the group comes from
     * {@code Implementation-Vendor-Id}, a {@code Bundle-SymbolicName} or {@code Automatic-Module-Name} of the form
     * {@code <group>.<artifact>}, or a known artifact family. A renamed or repackaged jar whose manifest names
     * something else gets no identity here (the SHA-1 index may still know it).
     */
    private static Optional<MavenCoordinates> fromManifest(ArchiveFacts facts) {
        Map<String, String> m = facts.manifest();
        Matcher file = FILE_NAME.matcher(facts.fileName());
        boolean versioned = file.matches();
        String stem = versioned ? file.group(1) : stem(facts.fileName());
        String title = clean(m.get("Implementation-Title"));
        if (title != null && !ARTIFACT_ID.matcher(title).matches()) {
            title = null; // a display name ("Apache Commons Lang"), not an artifact id
        }
        String artifact = stem;
        if (artifact == null || (title != null && !title.equals(artifact))) {
            return Optional.empty();
        }
        List<String> stated = new ArrayList<>();
        for (String header : List.of("Implementation-Version", "Bundle-Version")) {
            String v = clean(m.get(header));
            if (v != null) {
                stated.add(v);
            }
        }
        String version;
        if (versioned) {
            version = file.group(2);
            if (!stated.isEmpty() && stated.stream().noneMatch(v -> sameVersion(v, file.group(2)))) {
                return Optional.empty(); // the manifest speaks of another release than the file name
            }
        } else if (!stated.isEmpty()) {
            version = stated.getFirst();
        } else {
            return Optional.empty();
        }
        String group = group(m, artifact);
        if (group == null) {
            return Optional.empty();
        }
        boolean fromManifest = title != null || !stated.isEmpty() || group.equals(clean(m.get("Implementation-Vendor-Id")));
        return Optional.of(new MavenCoordinates(group, artifact, version,
                fromManifest ? "META-INF/MANIFEST.MF" : "file name"));
    }

    /** The file name without directory and extension, when it looks like an artifact id. */
    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        return ARTIFACT_ID.matcher(stem).matches() ? stem : null;
    }

    /** {@code 29.0-jre} and OSGi's {@code 29.0.0.jre}, {@code 5.3.17} and {@code 5.3.17.RELEASE} are one release. */
    static boolean sameVersion(String stated, String fileVersion) {
        if (stated.equals(fileVersion)) {
            return true;
        }
        String a = normalized(stated);
        String b = normalized(fileVersion);
        return a.equals(b) || a.startsWith(b + ".") && a.substring(b.length() + 1).chars().noneMatch(Character::isDigit);
    }

    private static String normalized(String v) {
        String dotted = v.replace('-', '.').toLowerCase(java.util.Locale.ROOT);
        // trailing zero components: OSGi pads 29.0 to 29.0.0
        return dotted.replaceAll("(\\.0)+(?=\\.[a-z]|$)", "");
    }

    private static String group(Map<String, String> manifest, String artifact) {
        String vendorId = clean(manifest.get("Implementation-Vendor-Id"));
        if (vendorId != null && ARTIFACT_ID.matcher(vendorId).matches()) {
            return vendorId;
        }
        for (String header : List.of("Bundle-SymbolicName", "Automatic-Module-Name")) {
            String name = clean(manifest.get(header));
            if (name == null) {
                continue;
            }
            name = name.split(";", 2)[0].trim();
            for (String suffix : List.of("." + artifact, "." + artifact.replace('-', '.'))) {
                if (name.endsWith(suffix) && name.length() > suffix.length()) {
                    return name.substring(0, name.length() - suffix.length());
                }
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
