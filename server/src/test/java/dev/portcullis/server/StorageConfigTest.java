package dev.portcullis.server;

import static dev.portcullis.server.ConfigAssertions.Source.ENVIRONMENT;
import static dev.portcullis.server.ConfigAssertions.Source.FILE;
import static dev.portcullis.server.ConfigAssertions.assertDefaults;
import static dev.portcullis.server.ConfigAssertions.assertFullMapping;
import static dev.portcullis.server.ConfigAssertions.assertRefused;
import static dev.portcullis.server.ConfigAssertions.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.storage.S3BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code storage.*} keys: blobs in S3-compatible storage and metadata in PostgreSQL, secrets from the env. */
class StorageConfigTest {
    static final Map<ConfigKey<?>, String> MAPPING = Map.ofEntries(
            Map.entry(ConfigKeys.S3_ENDPOINT, "http://127.0.0.1:9000"),
            Map.entry(ConfigKeys.S3_REGION, "eu-west-1"),
            Map.entry(ConfigKeys.S3_BUCKET, "portcullis"),
            Map.entry(ConfigKeys.S3_PREFIX, "registry/"),
            Map.entry(ConfigKeys.S3_ACCESS_KEY, "id"),
            Map.entry(ConfigKeys.S3_SECRET_KEY, "s3-secret"),
            Map.entry(ConfigKeys.S3_PATH_STYLE, "false"),
            Map.entry(ConfigKeys.POSTGRES_URL, "jdbc:postgresql://db:5432/portcullis"),
            Map.entry(ConfigKeys.POSTGRES_USER, "portcullis"),
            Map.entry(ConfigKeys.POSTGRES_PASSWORD, "db-secret"),
            Map.entry(ConfigKeys.POSTGRES_POOL_SIZE, "4"));

    @TempDir
    Path dir;

    @Test
    void defaultsAreEmbedded() {
        assertDefaults(ServerConfig::storage, ServerConfig.Storage.EMBEDDED);
    }

    @Test
    void everyKeyMapsFromEachSource() {
        assertFullMapping(dir, MAPPING, ServerConfig::storage, new ServerConfig.Storage(
                Optional.of(new S3BlobStore.Settings(URI.create("http://127.0.0.1:9000"), "eu-west-1", "portcullis",
                        "registry/", "id", "s3-secret", false)),
                Optional.of(new ServerConfig.Postgres("jdbc:postgresql://db:5432/portcullis", "portcullis",
                        "db-secret", 4))));
    }

    @Test
    void aSectionNeedsOnlyItsRequiredKeys() {
        ServerConfig.Storage s = load(dir, FILE, Map.of(ConfigKeys.S3_BUCKET, "portcullis",
                ConfigKeys.S3_ENDPOINT, "http://minio:9000", ConfigKeys.POSTGRES_URL, "jdbc:postgresql://db/p"))
                .storage();
        assertThat(s.s3().orElseThrow()).isEqualTo(new S3BlobStore.Settings(URI.create("http://minio:9000"),
                "us-east-1", "portcullis", "", null, null, true));
        assertThat(load(dir, ENVIRONMENT, Map.of(ConfigKeys.S3_BUCKET, "portcullis")).storage().s3().orElseThrow()
                .pathStyle()).as("AWS addresses buckets by host name").isFalse();
        assertThat(s.postgres().orElseThrow()).isEqualTo(new ServerConfig.Postgres("jdbc:postgresql://db/p", null,
                null, 16));
    }

    @Test
    void secretsAreNeverPrinted() {
        ServerConfig.Storage s = load(dir, FILE, MAPPING).storage();
        assertThat(s.toString()).doesNotContain("s3-secret").doesNotContain("db-secret");
        assertThat(load(dir, ENVIRONMENT, Map.of(ConfigKeys.POSTGRES_URL, "jdbc:postgresql://db/p",
                ConfigKeys.POSTGRES_PASSWORD, "")).storage().postgres().orElseThrow().password())
                .as("an empty variable is unset").isNull();
    }

    @Test
    void wrongValuesAreRefusedNamingKeySourceAndForm() throws IOException {
        assertRefused(dir, FILE, ConfigKeys.POSTGRES_POOL_SIZE, "sixteen")
                .hasMessageContaining("'sixteen' is not a whole number");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.POSTGRES_POOL_SIZE, "0");
        assertRefused(dir, FILE, ConfigKeys.POSTGRES_URL, "postgres://db/p");
        assertRefused(dir, FILE, ConfigKeys.S3_ENDPOINT, "ftp://minio").hasMessageContaining("'ftp://minio'");
        assertRefused(dir, ENVIRONMENT, ConfigKeys.S3_BUCKET, "Not_A_Bucket");
        assertRefused(dir, FILE, ConfigKeys.S3_PATH_STYLE, "sometimes");

        assertThatThrownBy(() -> load(dir, FILE, Map.of(ConfigKeys.S3_ENDPOINT, "http://minio:9000")))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("storage.s3.bucket (PORTCULLIS_S3_BUCKET) must be set")
                .hasMessageContaining("storage.s3.endpoint (from config file");
        assertThatThrownBy(() -> load(dir, FILE, Map.of(ConfigKeys.S3_BUCKET, "bucket", ConfigKeys.S3_ACCESS_KEY, "id")))
                .hasMessageContaining("storage.s3.secretKey (PORTCULLIS_S3_SECRET_KEY) must be set");
        assertThatThrownBy(() -> load(dir, ENVIRONMENT, Map.of(ConfigKeys.POSTGRES_PASSWORD, "pw")))
                .hasMessageContaining("storage.postgres.url (PORTCULLIS_DB_URL) must be set")
                .hasMessageContaining("storage.postgres.password (from environment PORTCULLIS_DB_PASSWORD)")
                .hasMessageNotContaining("pw,");

        Path inFile = Files.writeString(dir.resolve("secret.yaml"), "storage:\n  postgres:\n    password: hunter2\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(inFile), Map.of(), Map.of()))
                .hasMessageContaining("storage.postgres.password is a secret")
                .hasMessageContaining("PORTCULLIS_DB_PASSWORD").hasMessageNotContaining("hunter2");
    }
}
