package dev.portcullis.scanner.lang.java;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.Packages;
import dev.portcullis.scanner.secret.SecretText;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Java archives (jar, war, ear) and every archive nested in them: one package per set of Maven coordinates, with
 * the SHA-1 of the archive it was found in (for lookups by checksum), where the identity came from, and the
 * archive's {@code Bundle-License} when the archive is one component. Configuration files inside the archives
 * ({@code application.properties}, {@code *.yml}, keys) are searched for secrets, since the secret analyzer
 * does not open archives.
 */
public final class JarAnalyzer implements Analyzer {
    static final String UNIDENTIFIED = "Java archive without Maven coordinates (no pom.properties; manifest and"
            + " file name missing, disagreeing or ambiguous; SHA-1 not in an imported index)";
    private final SecretText secrets = new SecretText();

    @Override
    public String id() {
        return "java-archive";
    }

    @Override
    public int version() {
        return 5;
    }

    @Override
    public boolean accepts(String path, long size) {
        return JarReader.isArchive(path);
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        try {
            JarReader.read(file.path(), file.size(), file.content(), new JarReader.Callbacks(
                    facts -> report(file, facts, sink),
                    (path, reason) -> sink.unreadable(new Unreadable(file.layer(), path, reason)),
                    (path, content) -> secrets.scan(file.layer(), path, content, sink)));
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }

    /**
     * The jars a JDK or JRE ships ({@code rt.jar}, {@code jrt-fs.jar}, ...) say so in their manifest; they carry
     * no Maven identity because they have none.
     */
    static boolean isJdkPart(ArchiveFacts facts) {
        String title = facts.manifest().getOrDefault("Implementation-Title", "");
        String spec = facts.manifest().getOrDefault("Specification-Title", "");
        return facts.fileName().equals("jrt-fs.jar") || title.equals("Java Runtime Environment")
                || spec.equals("Java Platform API Specification");
    }

    private static void report(LayerFile file, ArchiveFacts facts, Sink sink) {
        List<MavenCoordinates> found = MavenCoordinates.of(facts);
        if (found.isEmpty() && isJdkPart(facts)) {
            return; // part of a Java runtime, which is not a Maven artifact
        }
        if (found.isEmpty()) {
            sink.unreadable(new Unreadable(file.layer(), facts.path(), UNIDENTIFIED, facts.sha1()));
            return;
        }
        // the manifest speaks for the archive itself, not for what a shaded jar bundles
        List<String> licenses = found.size() == 1 ? BundleLicense.parse(facts.manifest().get("Bundle-License"))
                : List.of();
        for (MavenCoordinates c : found) {
            try {
                sink.pkg(Packages.create(Ecosystem.MAVEN, c.group(), c.artifact(), c.version(), file.layer(),
                        facts.path(), licenses, Map.of("sha1", facts.sha1(), "evidence", c.evidence())));
            } catch (PackageDataException e) {
                sink.unreadable(new Unreadable(file.layer(), facts.path(), e.getMessage()));
            }
        }
    }
}
