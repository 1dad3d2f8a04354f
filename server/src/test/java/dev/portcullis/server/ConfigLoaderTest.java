package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the sources combine, and how the file is read; each record's keys are tested in its own *ConfigTest. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void flagThenEnvironmentThenFileThenDefault() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), "listen: 0.0.0.0:6000\ndata: /srv/file\n");
        Map<String, String> env = Map.of("PORTCULLIS_LISTEN", "127.0.0.1:7000");
        ServerConfig fileOnly = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(fileOnly.port()).isEqualTo(6000);
        ServerConfig fileAndEnv = ConfigLoader.load(Optional.of(file), env, Map.of());
        assertThat(fileAndEnv.port()).isEqualTo(7000);
        assertThat(fileAndEnv.dataDir()).as("the file still sets what the environment does not")
                .isEqualTo(Path.of("/srv/file"));
        ServerConfig all = ConfigLoader.load(Optional.of(file), env, Map.of("--listen", "127.0.0.1:8000"));
        assertThat(all.port()).isEqualTo(8000);
        assertThat(all.shutdownTimeout()).as("default").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void yamlScalarsOfAnyKindAreReadByTheKeysType() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                dev: true
                maxConcurrentUploads: 8
                storage:
                  postgres:
                    url: jdbc:postgresql://db:5432/portcullis
                    poolSize: 16
                """);
        ServerConfig c = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(c.dev()).isTrue();
        assertThat(c.maxConcurrentUploads()).isEqualTo(8);
        assertThat(c.storage().postgres().orElseThrow().poolSize()).isEqualTo(16);
    }

    @Test
    void poolSizeSixteenIsAnErrorNotSixteen() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                storage:
                  postgres:
                    url: jdbc:postgresql://db:5432/portcullis
                    poolSize: sixteen
                """);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("storage.postgres.poolSize (from config file " + file + "): 'sixteen' is not a whole"
                        + " number; expected whole number from 1 to 1000");
    }

    @Test
    void unknownKeysAreRefusedWithTheNearestKnownOne() throws IOException {
        assertFileRefused("lisen: 1.2.3.4:5\n", "lisen: unknown key; did you mean listen?");
        assertFileRefused("poolSize: 16\n", "poolSize: unknown key; did you mean storage.postgres.poolSize?");
        assertFileRefused("storage:\n  s3:\n    bucketName: b\n", "storage.s3.bucketName: unknown key; did you mean"
                + " storage.s3.bucket?");
        assertFileRefused("colour: blue\n", "colour: unknown key; see docs/configuration.md");
    }

    @Test
    void theShapeOfTheFileIsChecked() throws IOException {
        assertFileRefused("limits: 4GiB\n", "limits is a section (limits.maxBlobSize, limits.maxManifestSize)");
        assertFileRefused("listen:\n  host: 0.0.0.0\n", "listen takes a single value, not a mapping");
        assertFileRefused("listen: [a, b]\n", "listen takes a single value, not a list");
        assertFileRefused("listen:\n", "listen has no value; remove the line to use the default (127.0.0.1:5000)");
        assertFileRefused("listen: a:1\nlisten: b:2\n", "Duplicate field 'listen'");
        assertFileRefused("- listen\n", "must be a mapping of keys to values");
        assertThat(ConfigLoader.load(Optional.of(Files.writeString(dir.resolve("empty.yaml"), "tls:\n")), Map.of(),
                Map.of())).as("an empty file or section sets nothing").isEqualTo(ServerConfig.defaults());
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.yaml")), Map.of(), Map.of()))
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void anEmptyEnvironmentVariableIsUnset() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("PORTCULLIS_LISTEN", ""), Map.of()).port())
                .isEqualTo(5000);
    }

    @Test
    void theKeyTableIsConsistent() {
        Set<String> names = new HashSet<>();
        Set<String> envs = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertThat(names.add(key.name())).as("name %s declared once", key.name()).isTrue();
            assertThat(envs.add(key.env())).as("env %s declared once", key.env()).isTrue();
            key.flag().ifPresent(f -> assertThat(flags.add(f)).as("flag %s declared once", f).isTrue());
            assertThat(names).as("%s is not also a section", key.name())
                    .noneMatch(n -> n.startsWith(key.name() + ".") || key.name().startsWith(n + "."));
        }
        assertThat(flags).as("serve flags are a contract").contains("--listen", "--data", "--dev", "--tls-cert",
                "--tls-key", "--behind-proxy");
    }

    @Test
    void everyKeyIsCoveredByTheMappingTestOfItsRecord() {
        List<ConfigKey<?>> mapped = Stream.of(ServerConfigTest.MAPPING, RegistryLimitsConfigTest.MAPPING,
                StorageConfigTest.MAPPING, SecurityConfigTest.MAPPING,
                ProtectionConfigTest.MAPPING, GateConfigTest.MAPPING, FeedsConfigTest.MAPPING).flatMap(m -> m.keySet().stream()).toList();
        assertThat(mapped).containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL);
    }

    @Test
    void aKeyMissingFromTheTableIsNotSilentlyItsDefault() {
        ConfigKey<Integer> stray = ConfigKey.of("stray", "PORTCULLIS_STRAY", ConfigType.integer(1, 2), 1, "not listed");
        ConfigValues values = ConfigValues.read(Optional.empty(), Map.of("PORTCULLIS_STRAY", "2"), Map.of());
        assertThatThrownBy(() -> values.get(stray)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not listed in ConfigKeys.ALL");
    }

    @Test
    void aKeyIsDeclaredConsistently() {
        assertThatThrownBy(() -> ConfigKey.of("pool", "PORTCULLIS_POOL", ConfigType.integer(1, 10), 16, "d"))
                .as("a default outside the range").hasMessageContaining("outside 1 to 10");
        assertThatThrownBy(() -> ConfigKey.optional("a.b", "PORTCULLIS_A_B", ConfigType.secretText(), "none", "d")
                .withFlag("--password")).hasMessageContaining("ps");
        assertThatThrownBy(() -> ConfigKey.of("a", "A", ConfigType.BOOLEAN, false, "d"))
                .hasMessageContaining("PORTCULLIS_*");
    }

    @Test
    void durationsElsewhereUseTheSameForm() {
        assertThat(ConfigLoader.duration("36h", "grace")).isEqualTo(Duration.ofHours(36));
        assertThat(ConfigLoader.duration("876600h", "grace")).as("100 years").isEqualTo(Duration.ofDays(36525));
        assertThatThrownBy(() -> ConfigLoader.duration("36526d", "grace")).hasMessageContaining("at most 876600h");
        assertThatThrownBy(() -> ConfigLoader.duration("9223372036854775807s", "grace"))
                .hasMessageContaining("at most 876600h");
        assertThatThrownBy(() -> ConfigLoader.duration("soon", "grace"))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageStartingWith("grace: 'soon'");
    }

    private void assertFileRefused(String yaml, String message) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "p", ".yaml"), yaml);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining(message);
    }
}
