import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.ImportReport;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.FeedReader;
import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.InstalledPackage;
import dev.portcullis.vulndb.match.InventoryIndex;
import dev.portcullis.vulndb.match.Matcher;
import dev.portcullis.vulndb.match.Rematcher;
import dev.portcullis.vulndb.model.PackageKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Benchmark of the vulnerability database (issue 5, "Speed"). Every measure is printed next to a reference taken
 * in the same run on the same machine, so the ratio means something on a loaded 2-core box:
 * <ul>
 *   <li>import: records/s of {@code VulnDb.importFrom} on a zip of N OSV records (the corpus's real GHSA, Go and
 *       PyPA records replicated with rewritten ids and package names), against only parsing the same documents;
 *   <li>matching: a 1,000-package inventory through the database-backed matcher after warm-up, against issuing
 *       the same indexed SQL lookups without evaluating anything;
 *   <li>re-matching: M stored inventories after an update that rewrites U records, against matching every
 *       inventory from scratch (extrapolated from a 1,000-inventory sample).
 * </ul>
 */
public final class VulnDbBench {
    /** Inventories matched from scratch to estimate a full re-match. */
    static final int SAMPLE = 1000;
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean PROCESS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int records = Integer.parseInt(args[2]);
        int inventories = Integer.parseInt(args[3]);
        int update = Integer.parseInt(args[4]);
        List<ObjectNode> templates = templates(corpus.resolve("feeds"));
        System.out.printf("templates: %d real OSV records; replicas: %d%n", templates.size(), records / templates.size());

        Path feed = work.resolve("feed.zip");
        writeFeed(feed, templates, records, 0, Set.of());
        long zipBytes = Files.size(feed);

        // reference: read and parse every document, nothing else
        long t0 = System.nanoTime();
        int[] parsed = {0};
        new FeedReader(FeedReader.Limits.DEFAULT).read(feed, d -> {
            Json.parse(d.bytes());
            parsed[0]++;
        }, new ImportProblems());
        double parseSeconds = (System.nanoTime() - t0) / 1e9;

        Path data = work.resolve("data");
        try (Database database = Database.sqlite(data)) {
            VulnDb db = VulnDb.open(database, Clock.systemUTC(),
                    new FeedDownloader(HttpClient.newHttpClient(), 1 << 20, Duration.ofSeconds(5)));
            db.importFrom(List.of(corpus.resolve("feeds").toString()));
            t0 = System.nanoTime();
            long cpu0 = PROCESS.getProcessCpuTime();
            ImportReport imported = db.importFrom(List.of(feed.toString()));
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("import CPU time (all threads): %.1f s%n", (PROCESS.getProcessCpuTime() - cpu0) / 1e9);
            long dbBytes = size(data);
            System.out.printf("import: %d records in %.1f s = %.0f records/s (zip %d MiB, database %d MiB); "
                            + "parse only: %.1f s = %.0f records/s; ratio import/parse %.1fx; malformed %d%n",
                    imported.records(), importSeconds, imported.records() / importSeconds, zipBytes >> 20,
                    dbBytes >> 20, parseSeconds, parsed[0] / parseSeconds, importSeconds / parseSeconds,
                    imported.malformed().size());

            List<List<InstalledPackage>> base = baseInventories(corpus.resolve("images"));
            List<InstalledPackage> thousand = inventory(base, 1000, 7, records / templates.size());
            Matcher matcher = db.matcher();
            for (int i = 0; i < 20; i++) {
                matcher.match(thousand);
            }
            double[] runs = new double[20];
            double[] cpu = new double[20];
            int findings = 0;
            for (int i = 0; i < runs.length; i++) {
                long s = System.nanoTime();
                long c = THREADS.getCurrentThreadCpuTime();
                findings = matcher.match(thousand).size();
                runs[i] = (System.nanoTime() - s) / 1e6;
                cpu[i] = (THREADS.getCurrentThreadCpuTime() - c) / 1e6;
            }
            double[] refRuns = new double[20];
            for (int i = 0; i < refRuns.length; i++) {
                long s = System.nanoTime();
                rawLookups(database, thousand);
                refRuns[i] = (System.nanoTime() - s) / 1e6;
            }
            System.out.printf("match: 1000 packages -> %d findings, median %.1f ms (p90 %.1f ms, CPU median %.1f ms);"
                            + " raw SQL lookups median %.1f ms; ratio %.1fx%n", findings, median(runs), pct(runs, 0.9),
                    median(cpu), median(refRuns), median(runs) / median(refRuns));

            InventoryIndex index = new InventoryIndex();
            List<String> names = new ArrayList<>();
            Map<String, List<InstalledPackage>> byImage = new HashMap<>();
            t0 = System.nanoTime();
            for (int i = 0; i < inventories; i++) {
                List<InstalledPackage> inv = variant(base.get(i % base.size()), i, records / templates.size());
                String name = "image-" + i;
                index.add(name, inv);
                names.add(name);
                if (i < SAMPLE) {
                    byImage.put(name, inv);
                }
            }
            System.out.printf("index: %d inventories in %.1f s%n", inventories, (System.nanoTime() - t0) / 1e9);

            // the update: U records rewritten (a fix moved); previous findings are taken for the images it
            // touches only, before the update, as a gate that stores findings would have them
            Set<Integer> touched = new HashSet<>();
            int replicas = records / templates.size();
            for (int i = 0; i < update; i++) {
                touched.add((int) ((long) i * 7919 % records));
            }
            Set<PackageKey> keys = keysOf(templates, touched, replicas);
            Map<String, List<Finding>> previous = previousFindings(index, keys, matcher, inventories, base, replicas);
            Path delta = work.resolve("delta.zip");
            writeFeed(delta, templates, records, 1, touched);
            ImportReport updated = db.importFrom(List.of(delta.toString()));
            t0 = System.nanoTime();
            Rematcher.Result result = new Rematcher(db.matcher()).rematch(index, updated.changedPackages(),
                    img -> previous.getOrDefault(img, List.of()));
            double rematchSeconds = (System.nanoTime() - t0) / 1e9;

            Matcher fresh = db.matcher();
            t0 = System.nanoTime();
            int sample = Math.min(SAMPLE, inventories);
            for (int i = 0; i < sample; i++) {
                fresh.match(byImage.get("image-" + i));
            }
            double fullSeconds = (System.nanoTime() - t0) / 1e9 * inventories / sample;
            System.out.printf("rematch: update changed %d records (%d packages); %d of %d inventories touched, %d "
                            + "packages re-matched, %d images with changes, in %.2f s; full re-match estimate %.1f s; "
                            + "ratio full/incremental %.0fx%n",
                    updated.feeds().values().stream().mapToInt(c -> c.updated()).sum(),
                    updated.changedPackages().size(), result.imagesTouched(), inventories,
                    result.packagesRematched(), result.changes().size(), rematchSeconds, fullSeconds,
                    fullSeconds / rematchSeconds);
        }
    }

    /** The real OSV records of the corpus (GHSA, Go, PyPA), as trees. */
    static List<ObjectNode> templates(Path feeds) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        try (Stream<Path> files = Files.walk(feeds)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String n = f.toString();
                if (n.contains("/ghsa-osv/advisories/") || (n.contains("/go-vulndb/GO-") && n.endsWith(".json"))) {
                    out.add((ObjectNode) Json.parse(Files.readAllBytes(f)));
                } else if (n.contains("/pypa-osv/vulns/") && n.endsWith(".yaml")) {
                    out.add((ObjectNode) yaml.readTree(f.toFile()));
                }
            }
        }
        return out;
    }

    /**
     * Writes N records: replica r of template t gets id {@code <id>-r<r>} and package names suffixed {@code -b<r>}
     * (replica 0 keeps the real names). In generation g > 0 the records in {@code changed} get a moved fix.
     */
    static void writeFeed(Path file, List<ObjectNode> templates, int records, int generation, Set<Integer> changed)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < records; i++) {
                if (generation > 0 && !changed.contains(i)) {
                    continue;
                }
                int r = i / templates.size();
                ObjectNode doc = templates.get(i % templates.size()).deepCopy();
                doc.put("id", doc.path("id").asText() + "-r" + r);
                for (JsonNode a : doc.path("affected")) {
                    ObjectNode pkg = (ObjectNode) a.path("package");
                    if (r > 0) {
                        pkg.put("name", pkg.path("name").asText() + "-b" + r);
                    }
                    if (generation > 0) {
                        // the revision drops every fix: all versions become affected
                        for (JsonNode range : a.path("ranges")) {
                            ArrayNode events = (ArrayNode) range.path("events");
                            events.removeAll();
                            events.addObject().put("introduced", "0");
                        }
                        ((ObjectNode) a).remove("versions");
                    }
                }
                zip.putNextEntry(new ZipEntry(doc.path("id").asText() + ".json"));
                zip.write(Json.write(doc));
                zip.closeEntry();
            }
        }
    }

    static Set<PackageKey> keysOf(List<ObjectNode> templates, Set<Integer> records, int replicas) {
        Set<PackageKey> keys = new HashSet<>();
        for (int i : records) {
            int r = i / templates.size();
            for (JsonNode a : templates.get(i % templates.size()).path("affected")) {
                String name = a.path("package").path("name").asText() + (r > 0 ? "-b" + r : "");
                String eco = a.path("package").path("ecosystem").asText();
                keys.add(new PackageKey(eco, dev.portcullis.vulndb.model.PackageNames.normalise(eco, name)));
            }
        }
        return keys;
    }

    static Map<String, List<Finding>> previousFindings(InventoryIndex index, Set<PackageKey> keys, Matcher matcher,
                                                       int inventories, List<List<InstalledPackage>> base,
                                                       int replicas) {
        Map<String, List<Finding>> out = new HashMap<>();
        for (int i = 0; i < inventories; i++) {
            List<InstalledPackage> inv = variant(base.get(i % base.size()), i, replicas);
            boolean concerned = false;
            for (InstalledPackage p : inv) {
                String eco = ecosystem(p);
                if (keys.contains(new PackageKey(eco, dev.portcullis.vulndb.model.PackageNames.normalise(eco,
                        p.name())))) {
                    concerned = true;
                    break;
                }
            }
            if (concerned) {
                out.put("image-" + i, matcher.match(inv));
            }
        }
        return out;
    }

    /** The corpus images' ground-truth inventories. */
    static List<List<InstalledPackage>> baseInventories(Path images) throws IOException {
        List<List<InstalledPackage>> out = new ArrayList<>();
        for (String image : List.of("java-app", "node-app", "python-app", "go-app", "debian-bookworm-minbase",
                "alpine-3.10.3")) {
            JsonNode inv = Json.parse(Files.readAllBytes(images.resolve(image).resolve("inventory.json")));
            JsonNode os = inv.path("os");
            InstalledPackage.Distro distro = os.isObject()
                    ? new InstalledPackage.Distro(os.path("id").asText(), os.path("version_id").asText()) : null;
            List<InstalledPackage> pkgs = new ArrayList<>();
            for (JsonNode p : inv.path("packages")) {
                String type = p.path("ecosystem").asText();
                String source = p.hasNonNull("source_name") ? p.path("source_name").asText()
                        : p.path("origin").asText("");
                pkgs.add(new InstalledPackage(type, p.path("name").asText(), p.path("version").asText(),
                        p.path("purl").asText(""), source, p.path("source_version").asText(""),
                        type.equals("deb") || type.equals("apk") ? distro : null, "", p.path("path").asText()));
            }
            out.add(pkgs);
        }
        return out;
    }

    /** Inventory i: a corpus inventory whose language packages are renamed to replica (i mod replicas). */
    static List<InstalledPackage> variant(List<InstalledPackage> base, int i, int replicas) {
        int r = i % replicas;
        if (r == 0) {
            return base;
        }
        List<InstalledPackage> out = new ArrayList<>(base.size());
        for (InstalledPackage p : base) {
            boolean language = !p.type().equals("deb") && !p.type().equals("apk");
            out.add(language ? new InstalledPackage(p.type(), p.name() + "-b" + r, p.version(), p.purl(),
                    p.sourceName(), p.sourceVersion(), p.distro(), p.layer(), p.path()) : p);
        }
        return out;
    }

    /** A 1,000-package inventory drawn from the corpus inventories and their replicas. */
    static List<InstalledPackage> inventory(List<List<InstalledPackage>> base, int n, int seed, int replicas) {
        List<InstalledPackage> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            List<InstalledPackage> v = variant(base.get(i % base.size()), i * seed, replicas);
            for (InstalledPackage p : v) {
                if (out.size() < n) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    static void rawLookups(Database database, List<InstalledPackage> packages) {
        database.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT a.document FROM vulndb_affected f JOIN"
                    + " vulndb_advisory a ON a.feed = f.feed AND a.id = f.advisory_id WHERE f.ecosystem = ?"
                    + " AND f.package = ?")) {
                for (InstalledPackage p : packages) {
                    q.setString(1, ecosystem(p));
                    q.setString(2, dev.portcullis.vulndb.model.PackageNames.normalise(ecosystem(p),
                            p.sourceName().isEmpty() ? p.name() : p.sourceName()));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(1);
                        }
                    }
                }
            }
            return null;
        });
    }

    static String ecosystem(InstalledPackage p) {
        return switch (p.type()) {
            case "maven" -> "Maven";
            case "npm" -> "npm";
            case "pypi" -> "PyPI";
            case "golang" -> "Go";
            case "deb" -> "Debian:12";
            case "apk" -> "Alpine:v3.10";
            default -> "";
        };
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            long total = 0;
            for (Path p : s.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    static double median(double[] v) {
        return pct(v, 0.5);
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
    }
}
