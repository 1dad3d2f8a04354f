package dev.portcullis.report;

import static dev.portcullis.report.Markup.escape;

import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.ExceptionUse;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.UnevaluableFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One self-contained page per verdict: summary, verdict, reasons with their fixes, exceptions and break-glass,
 * findings by severity, secrets, misconfigurations, unevaluable packages, layers and what the verdict was made with.
 * No script, no external asset (a Content-Security-Policy forbids loading any), so it reads the same offline or
 * saved as a CI artefact. Every value is escaped ({@link Markup}).
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1f24}
            h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #d0d7de}
            code,td.mono{font-family:ui-monospace,monospace;font-size:.92em;word-break:break-all}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #eaeef2;vertical-align:top}
            .badge{display:inline-block;padding:.15em .6em;border-radius:1em;font-weight:600;color:#fff}
            .promote{background:#1a7f37}.reject{background:#cf222e}.glass{background:#9a6700}
            .critical{color:#a40e26;font-weight:600}.high{color:#cf222e}.medium{color:#9a6700}.low,.unknown{color:#57606a}
            .reason{border-left:4px solid #cf222e;padding:.4em .8em;margin:.6em 0;background:#fff8f8}
            .reason.warn{border-color:#9a6700;background:#fffbeb}.reason.excepted{border-color:#57606a;background:#f6f8fa}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#57606a}dd{margin:0}
            """;

    private HtmlReport() {
    }

    static byte[] render(VerdictReport r) {
        StringBuilder h = new StringBuilder(16 * 1024);
        ImageFacts image = r.subject().image();
        String title = r.repository() + (r.tag() == null ? "@" + r.digest() : ":" + r.tag());
        Decision decision = r.verdict().decision();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(decision == Decision.PROMOTE ? "promoted: " : "rejected: ").append(escape(title))
                .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");

        h.append("<h1>").append(escape(title)).append("</h1>\n<p><span class=\"badge ")
                .append(decision == Decision.PROMOTE ? "promote" : "reject").append("\">")
                .append(decision == Decision.PROMOTE ? "promoted" : "rejected").append("</span>");
        if (r.verdict().breakGlass() != null) {
            h.append(" <span class=\"badge glass\">break-glass</span>");
        }
        h.append(" state <b>").append(escape(r.state())).append("</b></p>\n");

        h.append("<h2>Summary</h2>\n<dl>\n");
        term(h, "digest", "<code>" + escape(r.digest().toString()) + "</code>");
        term(h, "team", escape(image.team()));
        term(h, "platform", escape(image.platform()));
        term(h, "operating system", escape((image.os().name() + " " + image.os().version()).strip())
                + (image.os().endOfLife() ? " <b>(end of life)</b>" : ""));
        term(h, "findings", counts(r));
        term(h, "packages", String.valueOf(r.subject().packages().size()));
        term(h, "secrets", String.valueOf(r.subject().secrets().size()));
        term(h, "misconfigurations", String.valueOf(r.subject().misconfigurations().size()));
        term(h, "scan complete", image.complete() ? "yes" : "<b>no</b>: " + image.unreadable().size()
                + " part(s) could not be read");
        h.append("</dl>\n");

        h.append("<h2>Verdict</h2>\n");
        if (r.verdict().rejections().isEmpty()) {
            h.append("<p>No rule rejects this image.</p>\n");
        }
        for (Reason x : r.verdict().rejections()) {
            reason(h, x, "reason");
        }
        BreakGlass glass = r.verdict().breakGlass();
        if (glass != null) {
            h.append("<p><b>Break-glass</b> by ").append(escape(glass.grantedBy())).append(" until ")
                    .append(escape(glass.until().toString())).append(": ").append(escape(glass.reason()));
            if (!glass.ticket().isEmpty()) {
                h.append(" (").append(escape(glass.ticket())).append(')');
            }
            h.append(". The rejections above were overridden.</p>\n");
        }
        if (!r.verdict().exceptionsUsed().isEmpty()) {
            h.append("<h3>Accepted by exceptions</h3>\n");
            for (ExceptionUse u : r.verdict().exceptionsUsed()) {
                h.append("<div class=\"reason excepted\"><b>").append(escape(u.advisory())).append("</b> accepted by")
                        .append(" exception <code>").append(escape(u.exceptionId())).append("</code> until ")
                        .append(escape(u.expiresAt().toString())).append("<br>")
                        .append(escape(u.covered().message())).append("</div>\n");
            }
        }
        if (!r.verdict().warnings().isEmpty()) {
            h.append("<h3>Warnings</h3>\n");
            for (Reason x : r.verdict().warnings()) {
                reason(h, x, "reason warn");
            }
        }

        h.append("<h2>Findings by severity</h2>\n");
        List<FindingFacts> findings = r.findingsBySeverity();
        if (findings.isEmpty()) {
            h.append("<p>No known vulnerability.</p>\n");
        } else {
            h.append("<table>\n<tr><th>severity</th><th>advisory</th><th>package</th><th>installed</th>")
                    .append("<th>fixed in</th><th>verdict</th><th>layer</th></tr>\n");
            for (FindingFacts f : findings) {
                String sev = JsonReport.severity(f.severity());
                h.append("<tr><td class=\"").append(sev).append("\">").append(sev)
                        .append(f.cvssScore() == null ? "" : String.format(Locale.ROOT, " %.1f", f.cvssScore()))
                        .append("</td><td>").append(escape(f.id()));
                if (!f.aliases().isEmpty()) {
                    h.append("<br><small>").append(escape(String.join(", ", f.aliases()))).append("</small>");
                }
                h.append("</td><td>").append(escape(f.packageName())).append("</td><td class=\"mono\">")
                        .append(escape(f.packageVersion())).append("</td><td class=\"mono\">")
                        .append(f.fixAvailable() ? escape(String.join(", ", f.fixedVersions())) : "no fix")
                        .append("</td><td>").append(r.status(f.id(), f.packagePurl()).wire())
                        .append("</td><td class=\"mono\">").append(escape(shortDigest(JsonReport.layer(f.layerDigest()))))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        if (!r.subject().secrets().isEmpty()) {
            h.append("<h2>Secrets</h2>\n<table>\n<tr><th>severity</th><th>rule</th><th>where</th><th>layer</th></tr>\n");
            for (SecretFacts s : r.subject().secrets()) {
                String sev = JsonReport.severity(s.severity());
                h.append("<tr><td class=\"").append(sev).append("\">").append(sev).append("</td><td>")
                        .append(escape(s.ruleId())).append("<br><small>").append(escape(s.title()))
                        .append("</small></td><td class=\"mono\">").append(escape(s.path()))
                        .append(s.line() > 0 ? ":" + s.line() : "").append("</td><td class=\"mono\">")
                        .append(escape(shortDigest(JsonReport.layer(s.layerDigest())))).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.subject().misconfigurations().isEmpty()) {
            h.append("<h2>Misconfigurations</h2>\n<table>\n<tr><th>severity</th><th>check</th><th>where</th></tr>\n");
            for (MisconfigFacts m : r.subject().misconfigurations()) {
                String sev = JsonReport.severity(m.severity());
                h.append("<tr><td class=\"").append(sev).append("\">").append(sev).append("</td><td>")
                        .append(escape(m.id())).append("<br><small>").append(escape(m.title()))
                        .append("</small></td><td class=\"mono\">").append(escape(m.where())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.subject().unevaluable().isEmpty()) {
            h.append("<h2>Packages that could not be judged</h2>\n<table>\n<tr><th>package</th><th>version</th>")
                    .append("<th>why</th></tr>\n");
            for (UnevaluableFacts u : r.subject().unevaluable()) {
                h.append("<tr><td class=\"mono\">").append(escape(u.packagePurl().isEmpty() ? u.packageName()
                        : u.packagePurl())).append(u.firstParty() ? " <small>(first party)</small>" : "")
                        .append("</td><td class=\"mono\">").append(escape(u.packageVersion())).append("</td><td>")
                        .append(u.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Layers</h2>\n");
        if (r.layers().isEmpty()) {
            h.append("<p>No layer is known.</p>\n");
        } else {
            h.append("<table>\n<tr><th>#</th><th>digest</th><th>size</th><th>created by</th></tr>\n");
            int i = 1;
            for (VerdictReport.Layer l : r.layers()) {
                h.append("<tr><td>").append(i++).append("</td><td class=\"mono\">").append(escape(l.digest().toString()))
                        .append("</td><td>").append(l.size() < 0 ? "" : l.size() + " B").append("</td><td class=\"mono\">")
                        .append(escape(l.createdBy())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Made with</h2>\n<dl>\n");
        term(h, "evaluated at", escape(r.verdict().evaluatedAt().toString()));
        StringBuilder versions = new StringBuilder();
        new TreeMap<>(r.verdict().policyVersions()).forEach((owner, v) -> versions.append(versions.isEmpty() ? "" : ", ")
                .append(escape(owner)).append(" v").append(v));
        term(h, "policy versions", versions.toString());
        term(h, "scanner", escape(r.provenance().scannerVersion()) + " <code>"
                + escape(r.provenance().analyzerFingerprint()) + "</code>");
        term(h, "vulnerability database", r.subject().database().present()
                ? "<code>" + escape(r.subject().database().snapshot()) + "</code> imported "
                        + escape(String.valueOf(r.subject().database().importedAt()))
                : "<b>none</b>");
        h.append("</dl>\n</body>\n</html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void reason(StringBuilder h, Reason x, String cssClass) {
        h.append("<div class=\"").append(cssClass).append("\"><b>").append(escape(x.rule())).append("</b> <small>(")
                .append(escape(x.owner())).append(")</small>: ").append(escape(x.message()));
        if (!x.item().isEmpty()) {
            h.append("<br>").append(escape(x.resource().yamlName())).append(" <code>").append(escape(x.item()))
                    .append("</code>");
            if (!x.aliases().isEmpty()) {
                h.append(" (").append(escape(String.join(", ", x.aliases()))).append(')');
            }
        }
        if (!x.packageName().isEmpty()) {
            h.append("<br>package <code>").append(escape(x.packageName())).append(' ')
                    .append(escape(x.installedVersion())).append("</code>");
        }
        if (!x.fixedVersions().isEmpty()) {
            h.append("<br><b>fix:</b> upgrade to <code>").append(escape(String.join(" or ", x.fixedVersions())))
                    .append("</code>");
        }
        if (!x.layerDigest().isEmpty()) {
            h.append("<br>layer <code>").append(escape(shortDigest(x.layerDigest()))).append("</code>");
            if (!x.layerCreatedBy().isEmpty()) {
                h.append(" <code>").append(escape(x.layerCreatedBy())).append("</code>");
            }
        }
        if (!x.detail().isEmpty()) {
            h.append("<br>at <code>").append(escape(x.detail())).append("</code>");
        }
        if (x.isEvaluationError()) {
            h.append("<br><b>evaluation error:</b> ").append(escape(x.evaluationError()));
        }
        h.append("</div>\n");
    }

    private static void term(StringBuilder h, String term, String html) {
        h.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private static String counts(VerdictReport r) {
        List<String> parts = new java.util.ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)) {
            long n = r.subject().findings().stream().filter(f -> f.severity() == s).count();
            if (n > 0) {
                String sev = JsonReport.severity(s);
                parts.add("<span class=\"" + sev + "\">" + n + " " + sev + "</span>");
            }
        }
        int total = r.subject().findings().size();
        return parts.isEmpty() ? String.valueOf(total) : total + " (" + String.join(", ", parts) + ")";
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
