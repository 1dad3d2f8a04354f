package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.registry.RegistryLimits;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code limits.*} keys, which become the registry's {@link RegistryLimits}. */
class RegistryLimitsConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.MAX_BLOB_SIZE, "2GiB",
            ConfigKeys.MAX_MANIFEST_SIZE, "1MiB");

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheRegistrysOwn() {
        assertDefaults(ServerConfig::limits, RegistryLimits.DEFAULTS);
        assertThat(RegistryLimits.DEFAULTS.maxBlobBytes()).isEqualTo(64L << 30);
        assertThat(RegistryLimits.DEFAULTS.maxManifestBytes()).as("the spec's suggestion").isEqualTo(4 << 20);
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::limits,
                new RegistryLimits(2L << 30, 1 << 20, RegistryLimits.DEFAULTS.maxPageSize()));
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() {
        assertRefused(dir, ENVIRONMENT, ConfigKeys.MAX_BLOB_SIZE, "big").hasMessageContaining("512MiB");
        assertRefused(dir, FILE, ConfigKeys.MAX_BLOB_SIZE, "12 parsecs").hasMessageContaining("'12 parsecs'");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.MAX_BLOB_SIZE, "20000000TiB").hasMessageContaining("larger than");
        assertRefused(dir, FILE, ConfigKeys.MAX_BLOB_SIZE, "0B").hasMessageContaining("outside 1B");
        assertRefused(dir, FILE, ConfigKeys.MAX_BLOB_SIZE, "512MB").hasMessageContaining("binary");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.MAX_BLOB_SIZE, "1073741824").hasMessageContaining("no unit");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.MAX_MANIFEST_SIZE, "8MiB").hasMessageContaining("4MiB");
    }
}
