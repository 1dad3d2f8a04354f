package dev.portcullis.scanner.secret;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretFileAnalyzerTest {
    private final SecretFileAnalyzer analyzer = new SecretFileAnalyzer();

    // Fabricated for this test: valid formats, never issued.
    private static final String AWS_ID = "AKIAQ3EXAMPLE7ZZTOPX";
    private static final String AWS_SECRET = "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";
    private static final String GITHUB = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
    private static final String GITLAB = "glpat-" + "Zx8Cv7Bn6Mq5Wl4Ek3Rj";
    private static final String NPM = "npm_" + "Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2";
    private static final String PYPI = "pypi-AgEIcHlwaS5vcmc" + "CJGFiY2RlZjEyLTM0NTYtNzg5MC1hYmNkLWVmMTIzNDU2Nzg5MAACKlsz";
    private static final String SLACK = "https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/" + "abcdEFGHijklMNOPqrstUVWX";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String GENERIC = "Zr8Qp2Lx7Vt4Nm9Kc3";

    @Test
    void eachRuleFindsItsSecretWithLineAndRedaction() {
        String text = String.join("\n",
                "# settings",
                "aws_access_key_id = " + AWS_ID,
                "aws_secret_access_key = " + AWS_SECRET,
                "GITHUB_TOKEN=" + GITHUB,
                "gitlab: " + GITLAB,
                "publish with " + NPM,
                "twine: " + PYPI,
                "notify: " + SLACK,
                "Authorization: Bearer " + JWT,
                "db_password: " + GENERIC,
                "");
        CollectingSink sink = analyze(analyzer, "etc/app/settings.yml", text);

        assertThat(sink.secrets).extracting(SecretFinding::ruleId, SecretFinding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("aws-access-key-id", 2),
                org.assertj.core.groups.Tuple.tuple("aws-secret-access-key", 3),
                org.assertj.core.groups.Tuple.tuple("github-token", 4),
                org.assertj.core.groups.Tuple.tuple("gitlab-token", 5),
                org.assertj.core.groups.Tuple.tuple("npm-auth-token", 6),
                org.assertj.core.groups.Tuple.tuple("pypi-token", 7),
                org.assertj.core.groups.Tuple.tuple("slack-webhook", 8),
                org.assertj.core.groups.Tuple.tuple("jwt", 9),
                org.assertj.core.groups.Tuple.tuple("generic-secret-assignment", 10));
        assertThat(sink.secrets).allSatisfy(s -> {
            assertThat(s.layer()).isNotNull();
            assertThat(s.path()).isEqualTo("etc/app/settings.yml");
        });
        assertNoSecretIn(sink, AWS_ID, AWS_SECRET, GITHUB, GITLAB, NPM, PYPI, SLACK, JWT, GENERIC);
        assertThat(sink.secrets.getFirst().redacted()).startsWith("AKIA").doesNotContain(AWS_ID.substring(4, 8));
    }

    @Test
    void credentialFilesOfPackageManagersAndDocker() {
        CollectingSink npmrc = analyze(analyzer, "home/app/.npmrc",
                "registry=https://registry.example.invalid/\n//registry.example.invalid/:_authToken=s3cr3tT0kenValue\n"
                        + "//other.invalid/:_authToken=${NPM_TOKEN}\n");
        assertThat(npmrc.secrets).extracting(SecretFinding::ruleId, SecretFinding::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("npm-auth-token", 2));
        CollectingSink pypirc = analyze(analyzer, "root/.pypirc",
                "[pypi]\nusername = __token__\npassword = hunter2hunter2\n");
        assertThat(pypirc.secrets).extracting(SecretFinding::ruleId).containsExactly("pypirc-password");
        CollectingSink docker = analyze(analyzer, "root/.docker/config.json",
                "{\"auths\":{\"registry.example.invalid\":{\"auth\":\"dXNlcjpwYXNzd29yZA==\"}}}");
        assertThat(docker.secrets).extracting(SecretFinding::ruleId).containsExactly("docker-config-auth");
        assertNoSecretIn(npmrc, "s3cr3tT0kenValue");
        assertNoSecretIn(docker, "dXNlcjpwYXNzd29yZA==");
    }

    @Test
    void privateKeysNeedKeyMaterialAndPublicKeysAreNotSecrets() {
        String rsa = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n";
        assertThat(analyze(analyzer, "srv/tls/server.key", rsa).secrets).extracting(SecretFinding::ruleId,
                SecretFinding::line, SecretFinding::redacted).containsExactly(org.assertj.core.groups.Tuple.tuple(
                "private-key-rsa-pem", 1, "-----BEGIN RSA PRIVATE KEY-----"));
        String ec = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n";
        assertThat(analyze(analyzer, "a/ec.pem", ec).secrets).extracting(SecretFinding::ruleId)
                .containsExactly("private-key-ec-pem");
        String serviceAccount = "{\"type\": \"service_account\", \"private_key_id\": \"abc\",\n"
                + "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"}\n";
        assertThat(analyze(analyzer, "app/credentials.json", serviceAccount).secrets).extracting(SecretFinding::ruleId,
                SecretFinding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("gcp-service-account-key", 2));
        String twoOnALine = "password_hint: see key below; -----BEGIN EC PRIVATE KEY-----\n"
                + "MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n";
        assertThat(analyze(analyzer, "a/notes.txt", twoOnALine).secrets).extracting(SecretFinding::ruleId)
                .contains("private-key-ec-pem");
        String docs = "To load a key, look for\n\"-----BEGIN PRIVATE KEY-----\" followed by the body.\n";
        assertThat(analyze(analyzer, "usr/lib/python3/ssl_helpers.py", docs).secrets).isEmpty();
        String pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host\n";
        assertThat(analyze(analyzer, "root/.ssh/id_ed25519.pub", pub).secrets).isEmpty();
    }

    @Test
    void binaryFilesAreNotSearched() {
        byte[] so = ("\u0000\u0001ELF-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(analyze(analyzer, "usr/bin/tool", so, 0755).secrets).isEmpty();
        assertThat(analyzer.accepts("lib/libcrypto.so.1.1", 2000)).isFalse();
        assertThat(analyzer.accepts("usr/share/doc/openssl/README", 2000)).isFalse();
    }

    @Test
    void placeholdersAndCodeAreNotSecrets() {
        String code = String.join("\n",
                "password = request.POST['password']",
                "token = self.get_token()",
                "api_key: ${API_KEY}",
                "secret = \"changeme\"",
                "DB_PASSWORD=<your password here>",
                "");
        assertThat(analyze(analyzer, "app/settings.py", code).secrets).isEmpty();
        assertThat(analyze(analyzer, "app/.env", "DB_PASSWORD=Zr8Qp2Lx7Vt4Nm9Kc3\n").secrets)
                .extracting(SecretFinding::ruleId).containsExactly("generic-secret-assignment");
        assertThat(analyze(analyzer, "app/config.py", "DB_PASSWORD = Zr8Qp2Lx7Vt4Nm9Kc3\n").secrets).isEmpty();
    }

    @Test
    void oversizedCredentialFilesAreReportedNotSkipped() {
        byte[] big = new byte[SecretFileAnalyzer.MAX_BYTES + 1];
        Arrays.fill(big, (byte) 'a');
        assertThat(analyzer.accepts("app/huge.txt", big.length)).isFalse();
        CollectingSink sink = analyze(analyzer, "root/.ssh/id_rsa", big, 0600);
        assertThat(sink.unreadable).singleElement().satisfies(u -> assertThat(u.reason()).contains("limit"));
    }

    static void assertNoSecretIn(CollectingSink sink, String... secrets) {
        String everything = String.valueOf(sink.secrets) + sink.unreadable + sink.misconfigurations;
        for (String s : List.of(secrets)) {
            assertThat(everything).doesNotContain(s);
        }
    }
}
