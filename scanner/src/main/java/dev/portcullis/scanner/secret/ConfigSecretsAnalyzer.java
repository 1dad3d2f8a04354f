package dev.portcullis.scanner.secret;

import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.ImageAnalyzer;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Sink;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets baked into the image configuration (CIS Docker Benchmark 4.10): {@code Env}, labels, and the history
 * ({@code ENV}/{@code ARG} values end up in {@code created_by}). A secret already reported for {@code Env} is not
 * reported again for the history line that set it. A variable named like a credential ({@code DB_PASSWORD}) is
 * a secret ({@code generic-password-env}) whatever its value looks like, unless the value is a placeholder.
 */
public final class ConfigSecretsAnalyzer implements ImageAnalyzer {
    private final TextScanner scanner = TextScanner.defaults();

    @Override
    public String id() {
        return "config-secrets";
    }

    @Override
    public void analyze(ImageConfig config, Sink sink) {
        Set<String> reported = new HashSet<>();
        for (String env : config.env()) {
            int eq = env.indexOf('=');
            String name = eq < 0 ? env : env.substring(0, eq);
            String value = eq < 0 ? "" : env.substring(eq + 1);
            String where = "config.Env[" + name + "]";
            variable(where, name, value, env, reported, sink);
        }
        for (Map.Entry<String, String> label : config.labels().entrySet()) {
            String where = "config.Labels[" + label.getKey() + "]";
            scanner.scanLine(where, label.getKey() + "=" + label.getValue(), 0, true, hit -> {
                if (reported.add(hit.fingerprint())) {
                    sink.secret(finding(hit.ruleId(), hit.severity(), hit.title(), where, hit.redacted()));
                }
            });
        }
        List<ImageConfig.History> history = config.history();
        for (int i = 0; i < history.size(); i++) {
            String createdBy = history.get(i).createdBy();
            if (createdBy == null) {
                continue;
            }
            String where = "history[" + i + "].created_by";
            // one instruction can set several variables: look at each word on its own as well as the whole line
            for (String part : createdBy.split("\\s+")) {
                int eq = part.indexOf('=');
                variable(where, eq < 0 ? "" : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1), part,
                        reported, sink);
            }
        }
    }

    /** {@code NAME=value} from Env, or from an ENV/ARG instruction in the history. */
    private void variable(String where, String name, String value, String text, Set<String> reported, Sink sink) {
        boolean specific = scanner.scanLine(where, text, 0, false, hit -> {
            if (reported.add(hit.fingerprint())) {
                sink.secret(finding(hit.ruleId(), hit.severity(), hit.title(), where, hit.redacted()));
            }
        });
        if (!specific && !value.isEmpty() && SecretRules.SECRET_ENV_NAME.matcher(name).matches()
                && !SecretRules.ALLOWED_VALUE.matcher(value).matches()
                && reported.add(TextScanner.fingerprint(value))) {
            sink.secret(finding("generic-password-env", Severity.MEDIUM, "credential in an environment variable",
                    where, Redaction.redact(value)));
        }
    }

    private static SecretFinding finding(String id, Severity severity, String title, String where, String redacted) {
        return new SecretFinding(id, severity, title, null, where, 0, redacted);
    }
}
