package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Severity;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The secret rules, most specific first. Ids are stable: reports, policy exceptions and the corpus ground truth
 * refer to them. Private keys are detected separately ({@link PrivateKeys}) because they span lines.
 */
final class SecretRules {
    private SecretRules() {
    }

    /** Values that look like assignments but are placeholders, references or examples. */
    static final Pattern ALLOWED_VALUE = Pattern.compile(
            "(?i)(?:\\$.*|<[^>]*>|\\{\\{.*}}|%\\(.*\\)s?|changeme|change_me|password|secret"
                    + "|example|sample|dummy|test|xxx+|\\*+|null|none|nil|true|false|undefined|redacted|/.*)");

    static List<SecretRule> fileRules() {
        return List.of(
                SecretRule.anywhere("aws-access-key-id", Severity.HIGH, "AWS access key id",
                        "(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])", 1, "akia", "asia", "abia",
                        "acca"),
                SecretRule.anywhere("aws-secret-access-key", Severity.CRITICAL, "AWS secret access key",
                        "(?i)aws_?secret_?(?:access_?)?key[\"']?\\s*[=:]\\s*[\"']?"
                                + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                        1, "aws"),
                SecretRule.anywhere("github-token", Severity.CRITICAL, "GitHub token",
                        "(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})"
                                + "(?![A-Za-z0-9_])", 1, "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
                SecretRule.anywhere("gitlab-token", Severity.CRITICAL, "GitLab personal access token",
                        "(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])", 1, "glpat-"),
                SecretRule.anywhere("npm-auth-token", Severity.CRITICAL, "npm access token",
                        "(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])", 1, "npm_"),
                new SecretRule("npm-auth-token", Severity.CRITICAL, "npm credentials in .npmrc",
                        Pattern.compile("(?i)(?:_authToken|_auth|_password)\\s*=\\s*[\"']?([^\\s\"']{8,})"), 1,
                        List.of("_auth", "_password"), SecretRules::isNpmrc),
                SecretRule.anywhere("pypi-token", Severity.CRITICAL, "PyPI upload token",
                        "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})", 1, "pypi-ageichlwas5vcmc"),
                new SecretRule("pypirc-password", Severity.HIGH, "password in .pypirc",
                        Pattern.compile("(?i)^\\s*password\\s*[=:]\\s*(\\S{4,})"), 1, List.of("password"),
                        path -> path.equals(".pypirc") || path.endsWith("/.pypirc")),
                new SecretRule("docker-config-auth", Severity.HIGH, "registry credentials in a Docker config.json",
                        Pattern.compile("\"(?:auth|identitytoken|registrytoken)\"\\s*:\\s*\"([A-Za-z0-9+/=._-]{8,})\""),
                        1, List.of("\"auth\"", "token\""), path -> path.endsWith(".docker/config.json")
                        || path.endsWith(".dockercfg")),
                SecretRule.anywhere("gcp-service-account-key", Severity.CRITICAL,
                        "Google Cloud service account key", "\"private_key\"\\s*:\\s*\"-----BEGIN PRIVATE KEY-----\\\\n"
                                + "([A-Za-z0-9+/=]{16,})", 1, "private_key"),
                SecretRule.anywhere("slack-webhook", Severity.HIGH, "Slack incoming webhook",
                        "(https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,})", 1,
                        "hooks.slack.com"),
                SecretRule.anywhere("slack-token", Severity.HIGH, "Slack token",
                        "(?<![A-Za-z0-9-])(xox[baprs]-[0-9]{8,}-[0-9A-Za-z-]{8,})", 1, "xox"),
                SecretRule.anywhere("jwt", Severity.MEDIUM, "JSON Web Token",
                        "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,})", 1,
                        "eyj"));
    }

    /**
     * Applied only where no specific rule matched on the same line, to whole lines of the form
     * {@code [export|const|...] name = value} (or {@code name: value}) whose name contains a keyword and whose value
     * is high-entropy with letters and digits. In code the value must be a string literal (so
     * {@code password = self.password} is not a secret); in configuration files ({@link #isConfigFile}) a bare
     * value counts too. Anchored at both ends and matched whole, so its cost is linear in the line.
     */
    static SecretRule genericAssignment() {
        return new SecretRule("generic-secret-assignment", Severity.MEDIUM, "secret-looking assignment",
                Pattern.compile("\\s*(?:(?:export|const|let|var|set|readonly|final|static|val|String)\\s+)*"
                        + "[\"']?([A-Za-z0-9_.-]{1,100})[\"']?\\s*:?[=:]\\s*([\"']?)"
                        + "((?=[^\\s\"']*[0-9])(?=[^\\s\"']*[A-Za-z])[A-Za-z0-9+/=_\\-!@#%^&*~]{12,256})"
                        + "\\2\\s*[,;]?\\s*"),
                3, List.of("password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "accesskey",
                "private_key", "privatekey", "credential"), path -> true);
    }

    /** Files where {@code key = value} without quotes is a configuration entry rather than code. */
    static boolean isConfigFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.startsWith(".env") || name.endsWith(".env") || name.endsWith(".properties")
                || name.endsWith(".ini") || name.endsWith(".conf") || name.endsWith(".cfg") || name.endsWith(".cnf")
                || name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".toml")
                || name.endsWith(".npmrc") || name.endsWith(".pypirc") || name.endsWith(".netrc");
    }

    /** Environment variable names whose value is a credential whatever it looks like. */
    static final Pattern SECRET_ENV_NAME = Pattern.compile(
            "(?i).*(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credentials?).*");

    private static boolean isNpmrc(String path) {
        return path.equals(".npmrc") || path.endsWith("/.npmrc") || path.endsWith("/npmrc");
    }
}
