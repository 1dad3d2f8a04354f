package dev.portcullis.server;

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
    private static final ConfigLoader.Flags NO_FLAGS = new ConfigLoader.Flags(null, null, null);

    @TempDir
    Path dir;

    @Test
    void defaultsAreSecure() {
        ServerConfig c = ConfigLoader.load(Optional.empty(), Map.of(), NO_FLAGS);
        assertThat(c.dev()).isFalse();
        assertThat(c.security().tls()).isFalse();
        assertThat(c.security().behindProxy()).isFalse();
        assertThat(c.security().tokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(c::requireSafeServing).hasMessageContaining("--tls-cert")
                .hasMessageContaining("--behind-proxy").hasMessageContaining("--dev");
    }

    @Test
    void fileThenEnvironmentThenFlags() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                tls:
                  cert: /etc/p/tls.crt
                  key: /etc/p/tls.key
                auth:
                  publicUrl: https://registry.example.com
                  tokenLifetime: 2m
                """);
        ServerConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of(), NO_FLAGS);
        assertThat(fromFile.security().tlsCert()).contains(Path.of("/etc/p/tls.crt"));
        assertThat(fromFile.security().publicUrl()).contains("https://registry.example.com");
        assertThat(fromFile.security().tokenLifetime()).isEqualTo(Duration.ofMinutes(2));
        fromFile.requireSafeServing();

        ServerConfig env = ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_BEHIND_PROXY", "true",
                "PORTCULLIS_TOKEN_LIFETIME", "90s"), NO_FLAGS);
        assertThat(env.security().behindProxy()).isTrue();
        assertThat(env.security().tokenLifetime()).isEqualTo(Duration.ofSeconds(90));

        ServerConfig flags = ConfigLoader.load(Optional.of(file), Map.of(), new ConfigLoader.Flags(null, null, null,
                Path.of("a.crt"), Path.of("a.key"), true));
        assertThat(flags.security().tlsCert()).contains(Path.of("a.crt"));
        assertThat(flags.security().tlsKey()).contains(Path.of("a.key"));
        assertThat(flags.security().behindProxy()).isTrue();
    }

    @Test
    void mistakesAreNamed() throws IOException {
        Path half = Files.writeString(dir.resolve("half.yaml"), "tls:\n  cert: /etc/p/tls.crt\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(half), Map.of(), NO_FLAGS))
                .hasMessageContaining("both a certificate");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "auth:\n  tokenLifetme: 5m\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), NO_FLAGS))
                .hasMessageContaining("tokenLifetme");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_PUBLIC_URL", "registry"),
                NO_FLAGS)).hasMessageContaining("public URL");
    }
}
