package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.Source.FLAGS;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;
import static dev.portcullis.server.ConfigAssertions.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, file/environment/flag mapping and validation of the TLS, proxy and token settings. */
class SecurityConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.TLS_CERT, "/etc/p/tls.crt",
            ConfigKeys.TLS_KEY, "/etc/p/tls.key",
            ConfigKeys.BEHIND_PROXY, "true",
            ConfigKeys.PUBLIC_URL, "https://registry.example.com",
            ConfigKeys.TOKEN_LIFETIME, "2m");

    @TempDir
    Path dir;

    @Test
    void defaultsAreSecure() {
        assertDefaults(ServerConfig::security, new ServerConfig.Security(Optional.empty(), Optional.empty(), false,
                Optional.empty(), Duration.ofMinutes(5)));
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.dev()).isFalse();
        assertThatThrownBy(c::requireSafeServing).hasMessageContaining("--tls-cert")
                .hasMessageContaining("--behind-proxy").hasMessageContaining("--dev");
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::security, new ServerConfig.Security(
                Optional.of(Path.of("/etc/p/tls.crt")), Optional.of(Path.of("/etc/p/tls.key")), true,
                Optional.of("https://registry.example.com"), Duration.ofMinutes(2)));
        load(dir, FILE, Map.of(ConfigKeys.TLS_CERT, "a.crt", ConfigKeys.TLS_KEY, "a.key")).requireSafeServing();
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() throws IOException {
        assertThatThrownBy(() -> load(dir, FLAGS, Map.of(ConfigKeys.TLS_CERT, "/etc/p/tls.crt")))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("tls.cert (from flag --tls-cert), tls.key (not set)")
                .hasMessageContaining("both a certificate");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "auth:\n  tokenLifetme: 5m\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), Map.of()))
                .hasMessageContaining("auth.tokenLifetme: unknown key; did you mean auth.tokenLifetime?");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.PUBLIC_URL, "registry").hasMessageContaining("'registry'");
        assertRefused(dir, FILE, ConfigKeys.TOKEN_LIFETIME, "2h").hasMessageContaining("outside 30s to 1h");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.TOKEN_LIFETIME, "5 minutes");
        assertRefused(dir, FLAGS, ConfigKeys.BEHIND_PROXY, "perhaps");
    }
}
