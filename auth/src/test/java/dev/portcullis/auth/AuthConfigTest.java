package dev.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Defaults and validation of {@link AuthConfig}. Its token lifetime is mapped from {@code auth.tokenLifetime} (see the
 * server's SecurityConfigTest); the other fields are not configuration keys.
 */
class AuthConfigTest {
    @Test
    void defaults() {
        AuthConfig d = AuthConfig.DEFAULTS;
        assertThat(d.service()).isEqualTo("portcullis");
        assertThat(d.tokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.refreshLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(d.keyRotation()).isEqualTo(Duration.ofDays(1));
        assertThat(d.accountThreshold()).isEqualTo(5);
        assertThat(d.sourceThreshold()).isEqualTo(20);
        assertThat(d.maxLockout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(d.keyOverlap()).as("longer than any token it signed").isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void tokenLifetimeIsBoundedAtBothEnds() {
        assertThat(AuthConfig.DEFAULTS.withTokenLifetime(Duration.ofSeconds(30)).tokenLifetime())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(AuthConfig.DEFAULTS.withTokenLifetime(Duration.ofHours(1)).tokenLifetime())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> AuthConfig.DEFAULTS.withTokenLifetime(Duration.ofSeconds(29)))
                .hasMessageContaining("between 30s and 1h");
        assertThatThrownBy(() -> AuthConfig.DEFAULTS.withTokenLifetime(Duration.ofMinutes(61)))
                .hasMessageContaining("between 30s and 1h");
    }
}
