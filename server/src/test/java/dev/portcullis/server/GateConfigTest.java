package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gate.GateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, file/environment mapping and validation of the gate's keys ({@link GateConfig}). */
class GateConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.GATE_WORKERS, "3",
            ConfigKeys.GATE_LEASE, "30s");

    @TempDir
    Path dir;

    @Test
    void defaultsAreOneWorkerPerCoreAndTwoMinuteLeases() {
        assertDefaults(ServerConfig::gate, GateConfig.DEFAULTS);
        assertDefaults(c -> c.gate().workers(), Runtime.getRuntime().availableProcessors());
        assertDefaults(c -> c.gate().lease(), Duration.ofMinutes(2));
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::gate,
                GateConfig.DEFAULTS.withWorkers(3).withLease(Duration.ofSeconds(30)));
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "gate:\n  worker: 3\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), Map.of()))
                .hasMessageContaining("did you mean gate.workers?");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.GATE_WORKERS, "0").hasMessageContaining("outside 1 to 256");
        assertRefused(dir, FILE, ConfigKeys.GATE_WORKERS, "many").hasMessageContaining("not a whole number");
        assertRefused(dir, FILE, ConfigKeys.GATE_LEASE, "1s").hasMessageContaining("outside 5s to 1d");
    }
}
