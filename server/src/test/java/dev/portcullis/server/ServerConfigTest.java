package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.Source.FLAGS;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;

import dev.portcullis.gate.GateConfig;
import dev.portcullis.registry.RegistryLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top-level keys of {@link ServerConfig}: listen address, data directory, dev mode, shutdown and upload bounds. */
class ServerConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.LISTEN, "[::1]:6000",
            ConfigKeys.DATA, "/srv/portcullis",
            ConfigKeys.DEV, "true",
            ConfigKeys.SHUTDOWN_TIMEOUT, "5s",
            ConfigKeys.MAX_CONCURRENT_UPLOADS, "8",
            ConfigKeys.BLOB_MAP_CACHE, "1GiB");

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheLaptopSetting() {
        assertDefaults(c -> c, new ServerConfig("127.0.0.1", 5000, Path.of("data"), false, Duration.ofSeconds(30),
                256, DataSize.ofMiB(640), RegistryLimits.DEFAULTS, ServerConfig.Storage.EMBEDDED,
                new ServerConfig.Security(Optional.empty(), Optional.empty(), false, Optional.empty(),
                        Duration.ofMinutes(5)),
                new ServerConfig.Protection(1, 32, DataSize.ofBytes(1024), Duration.ofSeconds(20), 64,
                        Duration.ofMinutes(1)), GateConfig.DEFAULTS,
                new ServerConfig.Feeds(java.util.List.of(), Duration.ofHours(6))));
        assertDefaults(c -> c, ServerConfig.defaults());
    }

    @Test
    void everyKeyMapsFromEachSource() {
        ServerConfig defaults = ServerConfig.defaults();
        assertFullMapping(dir, MAPPING, c -> c, new ServerConfig("::1", 6000, Path.of("/srv/portcullis"), true,
                Duration.ofSeconds(5), 8, DataSize.ofGiB(1), defaults.limits(), defaults.storage(),
                defaults.security(), defaults.protection(), defaults.gate(), defaults.feeds()));
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() {
        assertRefused(dir, ENVIRONMENT, ConfigKeys.LISTEN, "nope").hasMessageContaining("HOST:PORT");
        assertRefused(dir, FLAGS, ConfigKeys.LISTEN, "h:70000").hasMessageContaining("65535");
        assertRefused(dir, FILE, ConfigKeys.LISTEN, ":5000").hasMessageContaining("':5000'");
        assertRefused(dir, FLAGS, ConfigKeys.DATA, " ").hasMessageContaining("empty");
        assertRefused(dir, FILE, ConfigKeys.DEV, "maybe").hasMessageContaining("'maybe' is not true or false");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.SHUTDOWN_TIMEOUT, "30").hasMessageContaining("not a duration");
        assertRefused(dir, FILE, ConfigKeys.SHUTDOWN_TIMEOUT, "2h").hasMessageContaining("outside 0s to 1h");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.SHUTDOWN_TIMEOUT, "99999999999999999999h")
                .hasMessageContaining("longer than");
        assertRefused(dir, FILE, ConfigKeys.MAX_CONCURRENT_UPLOADS, "lots").hasMessageContaining("not a whole number");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.MAX_CONCURRENT_UPLOADS, "0").hasMessageContaining("outside 1");
        assertRefused(dir, FILE, ConfigKeys.BLOB_MAP_CACHE, "12 parsecs").hasMessageContaining("'12 parsecs'");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.BLOB_MAP_CACHE, "-1MiB");
    }
}
