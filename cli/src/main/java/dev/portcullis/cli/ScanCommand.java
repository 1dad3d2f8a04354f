package dev.portcullis.cli;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.report.ReportFormat;
import dev.portcullis.scanner.report.Tool;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import dev.portcullis.scanner.source.RegistryCredentials;
import dev.portcullis.scanner.source.SourceException;
import dev.portcullis.vulndb.model.Severity;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis scan IMAGE}: inventory, SBOM, misconfigurations and secrets of an image, with no server.
 * Exit codes: 0 the image was read completely, 2 unusable input or command line, 3 a result was written but is
 * incomplete (the unreadable parts are listed in it and on stderr).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scan an image: packages, SBOM, misconfigurations and secrets.",
                "IMAGE is oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REPO:TAG] or "
                        + "docker://HOST/NAME[:TAG|@DIGEST]."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the image was read completely", "1:findings at or above --fail-on were found",
                "2:the input is unusable or the command line is wrong",
                "3:a result was written but is incomplete (unreadable parts are listed)"})
final class ScanCommand implements Callable<Integer> {
    static final int COMPLETE = 0;
    static final int VULNERABLE = 1;
    static final int UNUSABLE = 2;
    static final int INCOMPLETE = 3;
    private static final Tool TOOL = Tool.portcullis(Main.version());

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to scan.")
    String image;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, cyclonedx, spdx or sarif (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report here, not to stdout.")
    Path output;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Scan only this platform of a multi-platform image (default: every platform).")
    String platform;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Keep per-layer results here so unchanged layers are not read again.")
    Path cacheDir;

    @Option(names = "--username", paramLabel = "USER", description = "Registry user (docker:// only).")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the registry password or token (docker:// only).")
    String passwordEnv;

    @Option(names = "--insecure-http", description = "Talk plain HTTP to the registry (docker:// only; for tests).")
    boolean plainHttp;

    @Mixin
    DataDirOption data;

    @Option(names = "--lockfiles", description = "Also read lockfiles and requirement pins (package-lock.json,"
            + " yarn.lock, poetry.lock, go.mod, Cargo.lock, ...): evidence for source trees and images that ship"
            + " their lockfile without installed metadata; a package found both ways is listed twice.")
    boolean lockfiles;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 if a vulnerability, misconfiguration or secret of this severity or above (low,"
                    + " medium, high, critical) is found; unknown severities and unevaluable packages count.")
    String failOn;

    @Option(names = "--ignore-unfixed", description = "With --fail-on: vulnerabilities without a fix do not count.")
    boolean ignoreUnfixed;

    @Option(names = "--vex", paramLabel = "FILE", description = "OpenVEX or CycloneDX VEX document (repeatable;"
            + " where two disagree on a finding the later one wins, with a warning).")
    List<Path> vexFiles = new ArrayList<>();

    private ScanVulnerabilities vulnerabilities;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ReportFormat reportFormat;
        try {
            reportFormat = ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("portcullis scan: unknown format '" + format + "'; use table, json, cyclonedx, spdx or sarif");
            return UNUSABLE;
        }
        // Checked before the image is read, which can take minutes: a typo should not cost them.
        Severity.Level threshold = null;
        if (failOn != null) {
            try {
                threshold = Severity.Level.valueOf(failOn.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println("portcullis scan: unknown severity '" + failOn + "'; use low, medium, high or critical");
                return UNUSABLE;
            }
        }
        for (Path vex : vexFiles) {
            if (!Files.isReadable(vex)) {
                err.println("portcullis scan: cannot read VEX file " + vex);
                return UNUSABLE;
            }
        }
        List<ScanResult> results;
        try (ImageSource source = ImageSources.open(image, credentials(), plainHttp)) {
            LayerCache cache = cacheDir == null ? LayerCache.inMemory() : LayerCache.onDisk(cacheDir);
            List<Analyzer> analyzers = new ArrayList<>(Analyzers.all());
            if (lockfiles) {
                analyzers.addAll(Analyzers.lockfiles());
            }
            Scanner scanner = new Scanner(analyzers, Analyzers.image(), Limits.DEFAULTS, cache, Clock.systemUTC());
            try (ProgressBar progress = ProgressBar.forStderr()) {
                results = scanner.scan(source, platform, progress);
            }
        } catch (SourceException e) {
            err.println("portcullis scan: " + e.getMessage());
            return UNUSABLE;
        } catch (IOException e) {
            err.println("portcullis scan: cannot read " + image + ": " + e.getMessage());
            return UNUSABLE;
        }
        try {
            results = ScanVulnerabilities.identifyJars(results, data.resolve());
            vulnerabilities = ScanVulnerabilities.match(results, data.resolve(), vexFiles, err);
        } catch (IllegalArgumentException | IOException e) {
            err.println("portcullis scan: " + e.getMessage());
            return UNUSABLE;
        }
        if (reportFormat.singleImage() && results.size() != 1) {
            err.println("portcullis scan: " + image + " has " + results.size() + " platforms ("
                    + String.join(", ", results.stream().map(ScanResult::platform).toList()) + "); "
                    + format + " describes one image, choose it with --platform");
            return UNUSABLE;
        }
        try {
            write(reportFormat, results);
        } catch (IOException e) {
            err.println("portcullis scan: cannot write the report: " + e.getMessage());
            return UNUSABLE;
        }
        boolean complete = true;
        for (ScanResult r : results) {
            if (!r.complete()) {
                complete = false;
                err.println("portcullis scan: " + r.platform() + " is incomplete; unreadable:");
                for (Unreadable u : r.unreadable()) {
                    err.println("  " + (u.layer() == null ? "image" : u.layer().toString())
                            + (u.path() == null ? "" : " " + u.path()) + ": " + u.reason());
                }
            }
        }
        if (!complete) {
            return INCOMPLETE;
        }
        if (threshold != null) {
            FailOn verdict = FailOn.count(results, vulnerabilities, threshold, ignoreUnfixed);
            if (verdict.fails()) {
                err.println("portcullis scan: " + verdict.describe());
                return VULNERABLE;
            }
        }
        return COMPLETE;
    }

    private RegistryCredentials credentials() throws SourceException {
        if (username == null && passwordEnv == null) {
            return RegistryCredentials.fromDockerConfig(System.getenv(), System.getProperty("user.home"));
        }
        if (username == null || passwordEnv == null) {
            throw new SourceException("--username and --password-env go together");
        }
        String password = System.getenv(passwordEnv);
        if (password == null) {
            throw new SourceException("environment variable " + passwordEnv + " is not set");
        }
        return RegistryCredentials.of(username, password);
    }

    /**
     * Writes to a temp file beside the output and renames, so a failed scan never leaves half a report; a device or
     * pipe is written to directly.
     */
    private void write(ReportFormat reportFormat, List<ScanResult> results) throws IOException {
        if (output == null) {
            vulnerabilities.write(reportFormat, results, TOOL, UUID::randomUUID, System.out);
            return;
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            // a device or pipe (-o /dev/null, a FIFO) is written to; renaming over it would replace the device
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
                vulnerabilities.write(reportFormat, results, TOOL, UUID::randomUUID, out);
            }
            return;
        }
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".portcullis-scan-", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                vulnerabilities.write(reportFormat, results, TOOL, UUID::randomUUID, out);
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
