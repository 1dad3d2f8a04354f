package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.server.ConfigLoader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis check REF}: the gate's verdict on a pushed image, for people and CI. Exit 0 promoted, 1 rejected,
 * 2 for an error, a timeout or an unknown image. With {@code --wait} it waits for a verdict still being made, asking
 * the server to hold each request until the state changes (no busy polling).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Show the quarantine gate's verdict on an image and exit 0 promoted, 1 rejected, 2 error,"
                + " timeout or unknown image.")
final class CheckCommand implements Callable<Integer> {
    /** The longest the server is asked to hold one request. */
    private static final Duration HOLD = Duration.ofSeconds(20);

    @Parameters(paramLabel = "REF", description = "The image as pushed: unscanned/TEAM/REPO:TAG or"
            + " unscanned/TEAM/REPO@sha256:DIGEST.")
    String ref;

    @Mixin
    ServerOption server;

    @Option(names = "--wait", description = "Wait for a verdict still being made.")
    boolean waitForVerdict;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}), e.g. 90s, 10m.")
    String timeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json (the verdict report), junit or sarif.")
    String format;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ImageRef image;
        Duration limit;
        try {
            image = ImageRef.parse(ref);
            limit = ConfigLoader.duration(timeout, "--timeout");
        } catch (IllegalArgumentException | ConfigLoader.ConfigException e) {
            System.err.println("portcullis check: " + e.getMessage());
            return 2;
        }
        String suffix = switch (format) {
            case "table" -> "";
            case "json" -> "json";
            case "junit" -> "junit.xml";
            case "sarif" -> "sarif";
            default -> null;
        };
        if (suffix == null) {
            System.err.println("portcullis check: --format is table, json, junit or sarif, not '" + format + "'");
            return 2;
        }
        URI url;
        RemoteApi api;
        JsonNode state;
        try {
            url = server.resolve();
            api = server.connect();
            state = await(api, image, waitForVerdict ? limit : Duration.ZERO);
        } catch (RemoteApi.ApiException e) {
            System.err.println("portcullis check: " + image + ": " + e.getMessage());
            return 2;
        }
        String s = state.path("state").asText();
        boolean judged = s.equals("promoted") || s.equals("rejected");
        if (!judged) {
            if (suffix.equals("json")) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(state));
            }
            System.err.println("portcullis check: " + image + " is " + s + (s.equals("error")
                    ? ": " + state.path("error").asText("the gate could not judge it") + "; it is never promoted"
                    : waitForVerdict ? "; no verdict within " + timeout : "; no verdict yet (use --wait to wait for it)"));
            return 2;
        }
        if (suffix.isEmpty()) {
            out.print(explain(image, state, url));
        } else {
            try {
                out.print(api.text(image.apiPath() + "/report." + suffix));
            } catch (RemoteApi.ApiException e) {
                System.err.println("portcullis check: " + image + ": " + e.getMessage());
                return 2;
            }
        }
        out.flush();
        return s.equals("promoted") ? 0 : 1;
    }

    /** The image's state, waiting up to {@code limit} for a final one. */
    private static JsonNode await(RemoteApi api, ImageRef image, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            String hold = left.isNegative() || left.isZero() ? ""
                    : "?wait=" + Math.max(1, Math.min(HOLD.toSeconds(), left.toSeconds())) + "s";
            HttpResponse<String> r = api.raw("GET", image.apiPath() + hold, Optional.empty());
            if (r.statusCode() == 404 && !left.isNegative() && !left.isZero()) {
                // Not pushed yet, or the push is still being stored: it may appear while we wait.
                Thread.sleep(Math.min(1000, left.toMillis()));
                continue;
            }
            JsonNode state = RemoteApi.check(r);
            String s = state.path("state").asText();
            if (!s.equals("queued") && !s.equals("scanning") || !Instant.now().isBefore(deadline)) {
                return state;
            }
        }
    }

    /** The verdict for a person: decision, every rejection with what to change, and how to ask for an exception. */
    static String explain(ImageRef image, JsonNode state, URI server) {
        StringBuilder b = new StringBuilder();
        JsonNode verdict = state.path("verdict");
        String s = state.path("state").asText();
        b.append(image).append(" (").append(state.path("digest").asText()).append("): ")
                .append(s.toUpperCase(java.util.Locale.ROOT)).append('\n');
        JsonNode glass = verdict.path("breakGlass");
        if (glass.isObject()) {
            b.append("  let through by break-glass until ").append(glass.path("until").asText()).append(" (")
                    .append(glass.path("grantedBy").asText()).append(": ").append(glass.path("reason").asText())
                    .append(")\n");
        }
        JsonNode rejections = verdict.path("rejections");
        if (!rejections.isEmpty()) {
            b.append("\nRejected by ").append(rejections.size()).append(" reason(s):\n");
            rejections.forEach(r -> reason(b, r));
        }
        JsonNode warnings = verdict.path("warnings");
        if (!warnings.isEmpty()) {
            b.append("\nWarnings (").append(warnings.size()).append("):\n");
            int shown = 0;
            for (JsonNode w : warnings) {
                if (shown++ == 20) {
                    b.append("  … and ").append(warnings.size() - 20).append(" more (see the report)\n");
                    break;
                }
                b.append("  - ").append(w.path("rule").asText()).append(": ").append(item(w)).append('\n');
            }
        }
        JsonNode used = verdict.path("exceptionsUsed");
        if (!used.isEmpty()) {
            b.append("\nAccepted by exceptions:\n");
            used.forEach(u -> b.append("  - ").append(u.path("advisory").asText()).append(" by exception ")
                    .append(u.path("exceptionId").asText()).append(" until ").append(u.path("expiresAt").asText())
                    .append('\n'));
        }
        JsonNode policies = verdict.path("policyVersions");
        if (policies.isObject() && !policies.isEmpty()) {
            StringBuilder versions = new StringBuilder();
            policies.properties().forEach(e -> versions.append(versions.isEmpty() ? "" : ", ").append(e.getKey())
                    .append(" v").append(e.getValue().asInt()));
            b.append("\nJudged at ").append(verdict.path("evaluatedAt").asText()).append(" under ").append(versions)
                    .append('\n');
        }
        String advisory = firstAdvisory(rejections);
        if (advisory != null) {
            String team = state.path("team").asText("TEAM");
            String expires = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
            b.append("\nTo accept a vulnerability instead of fixing it, ask the security role (or your team's maintainer,"
                    + " if the organisation delegates it) for an exception:\n  portcullis exception add --server ")
                    .append(server).append(" --team ").append(team).append(" --advisory ").append(advisory)
                    .append(" --expires ").append(expires).append(" --reason \"why it does not apply\" --ticket URL\n");
        }
        JsonNode links = state.path("links");
        if (links.has("html")) {
            b.append("\nReport: ").append(server.resolve(links.path("html").asText())).append('\n');
        }
        return b.toString();
    }

    private static void reason(StringBuilder b, JsonNode r) {
        b.append("  - ").append(r.path("rule").asText()).append(" (").append(r.path("owner").asText()).append("): ")
                .append(r.path("message").asText()).append('\n');
        b.append("      ").append(item(r)).append('\n');
        String pkg = r.path("packageName").asText();
        if (!pkg.isEmpty()) {
            b.append("      package ").append(pkg).append(' ').append(r.path("installedVersion").asText());
            if (!r.path("packagePurl").asText().isEmpty()) {
                b.append(" (").append(r.path("packagePurl").asText()).append(')');
            }
            b.append('\n');
        }
        JsonNode fixed = r.path("fixedVersions");
        if (!fixed.isEmpty()) {
            StringBuilder versions = new StringBuilder();
            fixed.forEach(v -> versions.append(versions.isEmpty() ? "" : " or ").append(v.asText()));
            b.append("      fix: upgrade ").append(pkg.isEmpty() ? "it" : pkg).append(" to ").append(versions)
                    .append('\n');
        }
        String layer = r.path("layerDigest").asText();
        if (!layer.isEmpty()) {
            b.append("      from layer ").append(layer);
            String createdBy = r.path("layerCreatedBy").asText();
            if (!createdBy.isEmpty()) {
                b.append(" (").append(createdBy.length() > 120 ? createdBy.substring(0, 117) + "..." : createdBy)
                        .append(')');
            }
            b.append('\n');
        }
        if (!r.path("detail").asText().isEmpty()) {
            b.append("      at ").append(r.path("detail").asText()).append('\n');
        }
        if (r.hasNonNull("evaluationError")) {
            b.append("      the rule failed to evaluate: ").append(r.path("evaluationError").asText()).append('\n');
        }
    }

    private static String item(JsonNode r) {
        StringBuilder b = new StringBuilder(r.path("resource").asText()).append(' ').append(r.path("item").asText());
        JsonNode aliases = r.path("aliases");
        if (!aliases.isEmpty()) {
            StringBuilder a = new StringBuilder();
            aliases.forEach(x -> a.append(a.isEmpty() ? "" : ", ").append(x.asText()));
            b.append(" (").append(a).append(')');
        }
        return b.toString();
    }

    private static String firstAdvisory(JsonNode rejections) {
        for (JsonNode r : rejections) {
            if (r.path("resource").asText().equals("vulnerability")) {
                return r.path("item").asText();
            }
        }
        return null;
    }
}
