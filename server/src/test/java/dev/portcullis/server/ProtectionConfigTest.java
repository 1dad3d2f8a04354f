package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;
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
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.TRUSTED_PROXIES, "2",
            ConfigKeys.UPLOADS_PER_CLIENT, "8",
            ConfigKeys.MIN_UPLOAD_RATE, "4KiB",
            ConfigKeys.UPLOAD_RATE_GRACE, "30s",
            ConfigKeys.AUDIT_CHECKPOINT_EVERY, "16",
            ConfigKeys.AUDIT_CHECKPOINT_INTERVAL, "10s");

    @TempDir
    Path dir;

    @Test
    void defaults() {
        assertDefaults(ServerConfig::protection, new ServerConfig.Protection(1, 32, DataSize.ofBytes(1024),
                Duration.ofSeconds(20), 64, Duration.ofMinutes(1)));
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::protection, new ServerConfig.Protection(2, 8,
                DataSize.ofBytes(4096), Duration.ofSeconds(30), 16, Duration.ofSeconds(10)));
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "protection:\n  trustedProxy: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), Map.of()))
                .hasMessageContaining("did you mean protection.trustedProxies?");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.TRUSTED_PROXIES, "0").hasMessageContaining("outside 1 to 16");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.UPLOADS_PER_CLIENT, "some");
        assertRefused(dir, FILE, ConfigKeys.MIN_UPLOAD_RATE, "1024").hasMessageContaining("no unit");
        assertRefused(dir, FILE, ConfigKeys.UPLOAD_RATE_GRACE, "0s").hasMessageContaining("outside 1s to 1d");
        assertRefused(dir, FILE, ConfigKeys.AUDIT_CHECKPOINT_EVERY, "0");
        assertRefused(dir, FILE, ConfigKeys.AUDIT_CHECKPOINT_INTERVAL, "0s").hasMessageContaining("outside 1s to 1d");
    }
}
