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

/** Defaults, file/environment mapping and validation of {@link ServerConfig.Protection}. */
class ProtectionConfigTest {
    private static final ConfigLoader.Flags NO_FLAGS = new ConfigLoader.Flags(null, null, null);

    @TempDir
    Path dir;

    @Test
    void defaults() {
        ServerConfig.Protection p = ConfigLoader.load(Optional.empty(), Map.of(), NO_FLAGS).protection();
        assertThat(p.trustedProxies()).isEqualTo(1);
        assertThat(p.uploadsPerClient()).isEqualTo(32);
        assertThat(p.minUploadRate()).isEqualTo(1024);
        assertThat(p.uploadRateGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.auditCheckpointEvery()).isEqualTo(64);
        assertThat(p.auditCheckpointInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void fileThenEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                protection:
                  trustedProxies: 2
                  uploadsPerClient: 8
                  minUploadRate: 4KiB
                  uploadRateGrace: 30s
                  auditCheckpointEvery: 16
                  auditCheckpointInterval: 10s
                """);
        ServerConfig.Protection p = ConfigLoader.load(Optional.of(file), Map.of(), NO_FLAGS).protection();
        assertThat(p).isEqualTo(new ServerConfig.Protection(2, 8, 4096, Duration.ofSeconds(30), 16,
                Duration.ofSeconds(10)));
        ServerConfig.Protection env = ConfigLoader.load(Optional.of(file), Map.of("PORTCULLIS_TRUSTED_PROXIES", "3",
                "PORTCULLIS_UPLOADS_PER_CLIENT", "4", "PORTCULLIS_MIN_UPLOAD_RATE", "0",
                "PORTCULLIS_UPLOAD_RATE_GRACE", "5s", "PORTCULLIS_AUDIT_CHECKPOINT_EVERY", "100",
                "PORTCULLIS_AUDIT_CHECKPOINT_INTERVAL", "2m"), NO_FLAGS).protection();
        assertThat(env).isEqualTo(new ServerConfig.Protection(3, 4, 0, Duration.ofSeconds(5), 100,
                Duration.ofMinutes(2)));
    }

    @Test
    void mistakesAreNamed() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "protection:\n  trustedProxy: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), NO_FLAGS))
                .hasMessageContaining("trustedProxy");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_TRUSTED_PROXIES", "0"),
                NO_FLAGS)).hasMessageContaining("trustedProxies must be between 1 and 16");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_UPLOADS_PER_CLIENT", "some"),
                NO_FLAGS)).hasMessageContaining("PORTCULLIS_UPLOADS_PER_CLIENT");
        Path zero = Files.writeString(dir.resolve("zero.yaml"), "protection:\n  auditCheckpointInterval: 0s\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(zero), Map.of(), NO_FLAGS))
                .hasMessageContaining("auditCheckpointInterval must be between 1s and 1 day");
    }
}
