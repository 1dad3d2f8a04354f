package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Subjects built from the corpus' ground truth: each image's {@code inventory.json}, {@code expected-matches.json}
 * and {@code digests.json}, with severities, fixes and dates from the advisories the matches cite. This is what the
 * gate would hand the policy for these images if scanner and matcher were exact; the policy module cannot run them
 * itself (it depends on nothing but {@code oci}).
 */
final class CorpusSubjects {
    private static final Pattern FIXED = Pattern.compile("\"fixed\": \"([^\"]+)\"");

    private CorpusSubjects() {
    }

    static Subject of(String image, Instant now) {
        Path dir = Corpus.image(image);
        JsonNode inventory = read(dir.resolve("inventory.json"));
        JsonNode digests = read(dir.resolve("digests.json"));
        Path matchesFile = dir.resolve("expected-matches.json");
        JsonNode matches = Files.exists(matchesFile) ? read(matchesFile) : Json.object();
        List<Digest> layers = new ArrayList<>();
        digests.get("layers").forEach(l -> layers.add(Digest.parse(l.get("digest").asText())));

        List<PackageFacts> packages = new ArrayList<>();
        inventory.get("packages").forEach(p -> packages.add(new PackageFacts(p.get("purl").asText(),
                p.get("ecosystem").asText(), p.get("name").asText(), p.get("version").asText(),
                layerOf(image, p.get("path").asText(), layers), "", p.get("path").asText(), null, false)));

        List<FindingFacts> findings = new ArrayList<>();
        matches.path("matches").forEach(m -> findings.add(fixable(m, image, layers)));
        matches.path("unfixed").forEach(m -> findings.add(unfixed(m, image, layers)));

        List<MisconfigFacts> misconfigurations = new ArrayList<>();
        List<SecretFacts> secrets = new ArrayList<>();
        inventory.path("expected_findings").forEach(f -> {
            String where = f.get("where").asText();
            if (f.get("kind").asText().equals("misconfig")) {
                misconfigurations.add(new MisconfigFacts(f.get("id").asText(), Severity.MEDIUM,
                        f.path("detail").asText(), where));
            } else {
                Matcher layer = Pattern.compile("layer (\\d+) (.*)").matcher(where);
                secrets.add(layer.matches()
                        ? new SecretFacts(f.get("id").asText(), Severity.HIGH, f.get("id").asText(),
                                layers.get(Integer.parseInt(layer.group(1)) - 1), layer.group(2), 1)
                        : new SecretFacts(f.get("id").asText(), Severity.HIGH, f.get("id").asText(), null, where, 0));
            }
        });

        JsonNode os = inventory.path("os");
        OsFacts osFacts = os.isMissingNode() ? OsFacts.unknown()
                // Alpine 3.10 ended its support on 2021-05-01; Debian 12 is supported
                : os.get("id").asText().equals("alpine")
                ? new OsFacts("alpine", os.get("version_id").asText(), true, LocalDate.of(2021, 5, 1))
                : new OsFacts(os.get("id").asText(), os.get("version_id").asText(), false, null);
        ImageFacts facts = new ImageFacts("acme/" + image, "acme", "1.0", Digest.parse(digests.get("manifest").asText()),
                "linux/amd64", Map.of(), ConfigFacts.empty(), null, osFacts, true, List.of());
        return new Subject(facts, packages, findings, misconfigurations, secrets, List.of(),
                new DatabaseFacts(true, "sha256:corpus-feeds", now.minusSeconds(3600)));
    }

    private static FindingFacts fixable(JsonNode m, String image, List<Digest> layers) {
        JsonNode advisory = read(Corpus.feeds().resolve(m.get("source").asText()));
        List<String> fixed = new ArrayList<>();
        Matcher f = FIXED.matcher(m.get("range_hit").asText());
        while (f.find()) {
            fixed.add(f.group(1));
        }
        Severity severity = switch (advisory.path("database_specific").path("severity").asText()) {
            case "CRITICAL" -> Severity.CRITICAL;
            case "HIGH" -> Severity.HIGH;
            case "MODERATE" -> Severity.MEDIUM;
            case "LOW" -> Severity.LOW;
            default -> Severity.UNKNOWN;
        };
        return new FindingFacts(m.get("advisory").asText(), strings(m.get("aliases")), severity, null, null,
                !fixed.isEmpty(), fixed, Instant.parse(advisory.get("published").asText()), purl(m),
                m.get("package").asText(), m.get("version").asText(), layerOf(image, m.get("path").asText(), layers),
                "", "ghsa-osv");
    }

    private static FindingFacts unfixed(JsonNode m, String image, List<Digest> layers) {
        Severity severity = switch (m.get("urgency").asText()) {
            case "unimportant", "low" -> Severity.LOW;
            case "medium" -> Severity.MEDIUM;
            case "high" -> Severity.HIGH;
            default -> Severity.UNKNOWN;
        };
        return new FindingFacts(m.get("advisory").asText(), strings(m.get("aliases")), severity, null, null, false,
                List.of(), null, purl(m), m.get("package").asText(), m.get("version").asText(),
                layerOf(image, m.get("path").asText(), layers), "", "debian");
    }

    private static String purl(JsonNode m) {
        String name = m.get("package").asText();
        return "pkg:" + m.get("ecosystem").asText() + "/" + name.replace(':', '/') + "@" + m.get("version").asText();
    }

    /** java-app's first layer holds app/lib/, its second the rest of app/; other images have one package layer. */
    private static Digest layerOf(String image, String path, List<Digest> layers) {
        if (image.equals("java-app") && !path.startsWith("app/lib/")) {
            return layers.get(1);
        }
        return layers.getFirst();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }

    private static JsonNode read(Path file) {
        try {
            return Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
