package dev.portcullis.scanner.misconfig;

import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.ImageAnalyzer;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of the image configuration, with stable ids and the CIS Docker Benchmark (v1.6, section 4) reference
 * where one applies: 4.1 a non-root user, 4.6 a HEALTHCHECK, 4.9 COPY rather than ADD. Also: sensitive ports
 * exposed, and a base image named by a moving tag.
 */
public final class ImageConfigChecks implements ImageAnalyzer {
    /** Ports whose service should not run in an application container, by the check id reported. */
    private static final Map<Integer, String> SENSITIVE_PORTS = Map.of(
            22, "SSH", 23, "telnet", 21, "FTP", 2375, "Docker daemon (plain HTTP)", 2376, "Docker daemon",
            3389, "RDP", 5900, "VNC", 5985, "WinRM", 5986, "WinRM", 111, "rpcbind");
    private static final Pattern ADD = Pattern.compile("(?:#\\(nop\\)\\s*)?\\bADD\\b(.*)");
    private static final Pattern REMOTE_OR_ARCHIVE = Pattern.compile(
            "(?i)(?:https?://\\S+|\\S+\\.(?:tar|tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz|tar\\.zst|zip)\\b)");
    private static final List<String> BASE_NAME_LABELS = List.of("org.opencontainers.image.base.name",
            "org.label-schema.base-image", "base.image");

    @Override
    public String id() {
        return "config-checks";
    }

    @Override
    public void analyze(ImageConfig config, Sink sink) {
        runsAsRoot(config).ifPresent(sink::misconfiguration);
        noHealthcheck(config).ifPresent(sink::misconfiguration);
        addInsteadOfCopy(config).forEach(sink::misconfiguration);
        sensitivePorts(config).forEach(sink::misconfiguration);
        latestBase(config).forEach(sink::misconfiguration);
    }

    static Optional<Misconfiguration> runsAsRoot(ImageConfig config) {
        String user = config.user() == null ? "" : config.user().trim();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (!name.isEmpty() && !name.equals("root") && !name.equals("0")) {
            return Optional.empty();
        }
        String detail = name.isEmpty() ? "User is unset (image runs as uid 0)" : "User is " + user;
        return Optional.of(new Misconfiguration("runs-as-root", Severity.HIGH,
                "image runs as root", "config.User", detail, "4.1"));
    }

    static Optional<Misconfiguration> noHealthcheck(ImageConfig config) {
        List<String> test = config.healthcheckTest();
        if (!test.isEmpty() && !test.getFirst().equalsIgnoreCase("NONE")) {
            return Optional.empty();
        }
        return Optional.of(new Misconfiguration("no-healthcheck", Severity.LOW, "no HEALTHCHECK",
                "config.Healthcheck", test.isEmpty() ? "no HEALTHCHECK instruction" : "HEALTHCHECK NONE", "4.6"));
    }

    static List<Misconfiguration> addInsteadOfCopy(ImageConfig config) {
        List<Misconfiguration> out = new ArrayList<>();
        List<ImageConfig.History> history = config.history();
        for (int i = 0; i < history.size(); i++) {
            String createdBy = history.get(i).createdBy();
            if (createdBy == null) {
                continue;
            }
            // BuildKit writes "ADD src dst # buildkit"; the classic builder "/bin/sh -c #(nop) ADD file:... in /"
            String instruction = createdBy.replaceFirst("^/bin/sh -c\\s+", "").trim();
            Matcher m = ADD.matcher(instruction);
            if (!instruction.startsWith("#(nop)") && !instruction.startsWith("ADD") || !m.lookingAt()) {
                continue;
            }
            String args = m.group(1);
            boolean risky = REMOTE_OR_ARCHIVE.matcher(args).find();
            out.add(new Misconfiguration("add-instead-of-copy", risky ? Severity.MEDIUM : Severity.LOW,
                    "ADD used where COPY would do", "history[" + i + "].created_by",
                    risky ? "ADD fetches a URL or unpacks an archive: " + abbreviate(args.trim())
                            : "ADD brings in local files; COPY is explicit: " + abbreviate(args.trim()), "4.9"));
        }
        return out;
    }

    static List<Misconfiguration> sensitivePorts(ImageConfig config) {
        List<Misconfiguration> out = new ArrayList<>();
        for (String port : config.exposedPorts()) {
            String number = port.split("/", 2)[0];
            int p;
            try {
                p = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                continue; // a port range or garbage: not one of the sensitive single ports
            }
            String service = SENSITIVE_PORTS.get(p);
            if (service == null) {
                continue;
            }
            boolean ssh = p == 22;
            out.add(new Misconfiguration(ssh ? "exposed-ssh-port" : "exposed-sensitive-port",
                    ssh ? Severity.MEDIUM : Severity.HIGH, service + " port exposed", "config.ExposedPorts",
                    port + " exposed (" + service + ")", ssh ? "5.7" : null));
        }
        return out;
    }

    static List<Misconfiguration> latestBase(ImageConfig config) {
        List<Misconfiguration> out = new ArrayList<>();
        for (String label : BASE_NAME_LABELS) {
            String base = config.labels().get(label);
            if (base == null || base.isBlank() || base.contains("@sha256:")) {
                continue;
            }
            String last = base.substring(base.lastIndexOf('/') + 1);
            String tag = last.contains(":") ? last.substring(last.indexOf(':') + 1).toLowerCase(Locale.ROOT) : "";
            if (tag.isEmpty() || tag.equals("latest") || tag.equals("stable") || tag.equals("edge")) {
                out.add(new Misconfiguration("latest-base-image", Severity.LOW, "base image named by a moving tag",
                        "config.Labels[" + label + "]", "base image " + base + " is not pinned to a version or "
                        + "digest", null));
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
