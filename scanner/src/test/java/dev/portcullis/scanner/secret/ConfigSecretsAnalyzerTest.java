package dev.portcullis.scanner.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSecretsAnalyzerTest {
    private static final String AWS_SECRET = "q8Z1vT4mK0pL9sX2wR7nB5cY3hJ6gF0dE1aS4uNz";

    static ImageConfig config(List<String> env, Map<String, String> labels, List<String> history) {
        return new ImageConfig("amd64", "linux", null, env, List.of(), List.of(), List.of(), labels, List.of(), null,
                List.of(), history.stream().map(h -> new ImageConfig.History(h, null, true)).toList(), null);
    }

    @Test
    void envLabelsAndBuildArgsInHistory() {
        ImageConfig c = config(
                List.of("PATH=/usr/bin", "AWS_SECRET_ACCESS_KEY=" + AWS_SECRET, "DB_PASSWORD=hunter2-x",
                        "API_TOKEN=${TOKEN}", "GREETING=hello"),
                Map.of("ci.token", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"),
                List.of("/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=" + AWS_SECRET + " DB_PASSWORD=hunter2-x",
                        "RUN |1 NPM_TOKEN=npm_Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2 /bin/sh -c npm ci",
                        "RUN /bin/sh -c DB_PASSWORD=$(cat /run/secrets/db) ./migrate # buildkit"));
        CollectingSink sink = new CollectingSink();
        new ConfigSecretsAnalyzer().analyze(c, sink);

        assertThat(sink.secrets).extracting(SecretFinding::ruleId, SecretFinding::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("aws-secret-access-key", "config.Env[AWS_SECRET_ACCESS_KEY]"),
                org.assertj.core.groups.Tuple.tuple("generic-password-env", "config.Env[DB_PASSWORD]"),
                org.assertj.core.groups.Tuple.tuple("github-token", "config.Labels[ci.token]"),
                org.assertj.core.groups.Tuple.tuple("npm-auth-token", "history[1].created_by"));
        assertThat(sink.secrets).allSatisfy(s -> assertThat(s.layer()).isNull());
        SecretFileAnalyzerTest.assertNoSecretIn(sink, AWS_SECRET, "hunter2-x", "npm_Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2");
    }
}
