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

class ConfigLoaderTest {
    private static final ConfigLoader.Flags NO_FLAGS = new ConfigLoader.Flags(null, null, null);

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheLaptopSetting() {
        ServerConfig c = ConfigLoader.load(Optional.empty(), Map.of(), NO_FLAGS);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.dev()).isFalse();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.limits().maxManifestBytes()).isEqualTo(4 << 20);
        assertThat(c.limits().maxBlobBytes()).isEqualTo(64L << 30);
        assertThat(c.blobMapCache()).isEqualTo(640L << 20);
    }

    @Test
    void fileThenEnvironmentThenFlags() throws IOException {
        Path file = Files.writeString(dir.resolve("portcullis.yaml"), """
                listen: 0.0.0.0:6000
                data: /srv/portcullis
                shutdownTimeout: 5s
                maxConcurrentUploads: 8
                blobMapCache: 1GiB
                limits:
                  maxBlobSize: 2GiB
                  maxManifestSize: 1MiB
                """);
        ServerConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of(), NO_FLAGS);
        assertThat(fromFile.host()).isEqualTo("0.0.0.0");
        assertThat(fromFile.port()).isEqualTo(6000);
        assertThat(fromFile.dataDir()).isEqualTo(Path.of("/srv/portcullis"));
        assertThat(fromFile.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fromFile.maxConcurrentUploads()).isEqualTo(8);
        assertThat(fromFile.blobMapCache()).isEqualTo(1L << 30);
        assertThat(fromFile.limits().maxBlobBytes()).isEqualTo(2L << 30);
        assertThat(fromFile.limits().maxManifestBytes()).isEqualTo(1 << 20);

        ServerConfig withEnv = ConfigLoader.load(Optional.of(file),
                Map.of("PORTCULLIS_LISTEN", "127.0.0.1:7000", "PORTCULLIS_DEV", "true"), NO_FLAGS);
        assertThat(withEnv.port()).isEqualTo(7000);
        assertThat(withEnv.dev()).isTrue();
        assertThat(ConfigLoader.load(Optional.of(file), Map.of("PORTCULLIS_BLOB_MAP_CACHE", "0"), NO_FLAGS)
                .blobMapCache()).as("0 turns the cache off").isZero();

        ServerConfig withFlags = ConfigLoader.load(Optional.of(file), Map.of("PORTCULLIS_LISTEN", "127.0.0.1:7000"),
                new ConfigLoader.Flags("[::1]:8000", Path.of("d"), true));
        assertThat(withFlags.host()).isEqualTo("::1");
        assertThat(withFlags.port()).isEqualTo(8000);
        assertThat(withFlags.dataDir()).isEqualTo(Path.of("d"));
    }

    @Test
    void sharedStorageTakesSecretsFromTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("scale.yaml"), """
                storage:
                  s3:
                    endpoint: http://127.0.0.1:9000
                    bucket: portcullis
                    accessKey: id
                  postgres:
                    url: jdbc:postgresql://db:5432/portcullis
                    user: portcullis
                """);
        ServerConfig c = ConfigLoader.load(Optional.of(file),
                Map.of("PORTCULLIS_S3_SECRET_KEY", "s3-secret", "PORTCULLIS_DB_PASSWORD", "db-secret"), NO_FLAGS);
        assertThat(c.storage().s3().orElseThrow().secretKey()).isEqualTo("s3-secret");
        assertThat(c.storage().s3().orElseThrow().pathStyle()).isTrue();
        assertThat(c.storage().postgres().orElseThrow().password()).isEqualTo("db-secret");
        assertThat(c.storage().toString()).doesNotContain("s3-secret").doesNotContain("db-secret");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), NO_FLAGS))
                .hasMessageContaining("PORTCULLIS_S3_SECRET_KEY");
    }

    @Test
    void theGateTakesWorkersAndLeaseFromFileAndEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("gate.yaml"), "gate:\n  workers: 3\n  lease: 30s\n");
        ServerConfig c = ConfigLoader.load(Optional.of(file), Map.of(), NO_FLAGS);
        assertThat(c.gate().workers()).isEqualTo(3);
        assertThat(c.gate().lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigLoader.load(Optional.of(file), Map.of("PORTCULLIS_GATE_WORKERS", "1"), NO_FLAGS).gate()
                .workers()).isEqualTo(1);
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), NO_FLAGS).gate().workers())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_GATE_WORKERS", "0"),
                NO_FLAGS)).isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("gate.workers");
        Path typo = Files.writeString(dir.resolve("gate-typo.yaml"), "gate:\n  worker: 3\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), NO_FLAGS))
                .hasMessageContaining("unknown key 'worker'");
    }

    @Test
    void mistakesAreNamed() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "lisen: 1.2.3.4:5\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), NO_FLAGS))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("unknown key 'lisen'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_LISTEN", "nope"), NO_FLAGS))
                .hasMessageContaining("PORTCULLIS_LISTEN").hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_MAX_BLOB_SIZE", "big"),
                NO_FLAGS)).hasMessageContaining("512MiB");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_LISTEN", "h:70000"),
                NO_FLAGS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_MAX_BLOB_SIZE",
                "20000000TiB"), NO_FLAGS)).isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("PORTCULLIS_MAX_BLOB_SIZE").hasMessageContaining("larger than");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_MAX_MANIFEST_SIZE", "8MiB"),
                NO_FLAGS)).isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("4MiB");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_SHUTDOWN_TIMEOUT",
                "99999999999999999999h"), NO_FLAGS)).isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("PORTCULLIS_SHUTDOWN_TIMEOUT");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.yaml")), Map.of(), NO_FLAGS))
                .hasMessageContaining("cannot read config file");
    }
}
