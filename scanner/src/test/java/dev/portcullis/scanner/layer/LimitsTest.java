package dev.portcullis.scanner.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Defaults and validation of the scan {@link Limits} (not configuration keys of the server yet). */
class LimitsTest {
    @Test
    void defaultsAreForRealImages() {
        Limits d = Limits.DEFAULTS;
        assertThat(d.maxLayerBytes()).isEqualTo(16L << 30);
        assertThat(d.maxImageBytes()).isEqualTo(64L << 30);
        assertThat(d.maxEntries()).isEqualTo(1_000_000);
        assertThat(d.maxPathLength()).isEqualTo(4096);
        assertThat(d.maxRatio()).isEqualTo(1000);
        assertThat(d.ratioFloorBytes()).isEqualTo(64L << 20);
        assertThat(d.maxSharedFileBytes()).isEqualTo(64L << 20);
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new Limits(0, 1, 1, 1, 1, 0, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Limits(1, 1, 1, 0, 1, 0, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 1, -1, 0)).hasMessageContaining("positive");
        assertThat(new Limits(1, 1, 1, 1, 1, 0, 0).ratioFloorBytes()).as("no floor is allowed").isZero();
    }
}
