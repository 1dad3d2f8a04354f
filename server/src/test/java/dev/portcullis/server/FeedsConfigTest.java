package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, file/environment mapping and validation of the feed update keys ({@link ServerConfig.Feeds}). */
class FeedsConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.of(
            ConfigKeys.VULNDB_SOURCES, "http://127.0.0.1:8080/osv.zip, /srv/feeds/alpine",
            ConfigKeys.VULNDB_UPDATE_INTERVAL, "30m");

    @TempDir
    Path dir;

    @Test
    void defaultsAreNoSourcesEverySixHours() {
        assertDefaults(ServerConfig::feeds, new ServerConfig.Feeds(List.of(), Duration.ofHours(6)));
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::feeds, new ServerConfig.Feeds(
                List.of("http://127.0.0.1:8080/osv.zip", "/srv/feeds/alpine"), Duration.ofMinutes(30)));
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() {
        assertRefused(dir, ENVIRONMENT, ConfigKeys.VULNDB_SOURCES, "a,,b")
                .hasMessageContaining("comma-separated feed URLs or local paths");
        assertRefused(dir, FILE, ConfigKeys.VULNDB_UPDATE_INTERVAL, "0s").hasMessageContaining("outside 1s to 30d");
    }
}
