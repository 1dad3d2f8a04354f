package dev.portcullis.scanner.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials: either one explicit user/password (from flags) used for every host, or the
 * {@code auths} of a Docker {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}). Credential helpers ({@code credsStore}) are not run: that would execute
 * programs named by a config file. {@link #toString()} never shows a secret.
 */
public final class RegistryCredentials {
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private final Map<String, Basic> byHost;
    private final Basic everywhere;

    /** A user name and password or token. */
    public record Basic(String username, String password) {
        public Basic {
            if (username == null || password == null) {
                throw new IllegalArgumentException("credentials need a user name and a password");
            }
        }

        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return username + ":***";
        }
    }

    private RegistryCredentials(Map<String, Basic> byHost, Basic everywhere) {
        this.byHost = Map.copyOf(byHost);
        this.everywhere = everywhere;
    }

    public static RegistryCredentials none() {
        return new RegistryCredentials(Map.of(), null);
    }

    public static RegistryCredentials of(String username, String password) {
        return new RegistryCredentials(Map.of(), new Basic(username, password));
    }

    /** Reads the Docker config named by {@code DOCKER_CONFIG} or under {@code home}; missing means none. */
    public static RegistryCredentials fromDockerConfig(Map<String, String> env, String home) throws SourceException {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null ? Path.of(dir, "config.json") : home == null ? null : Path.of(home, ".docker",
                "config.json");
        if (file == null || !Files.isRegularFile(file)) {
            return none();
        }
        try {
            return parseDockerConfig(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceException(file + " is not a readable Docker config: " + e.getMessage(), e);
        }
    }

    static RegistryCredentials parseDockerConfig(byte[] json) {
        JsonNode root = Json.parse(json);
        Map<String, Basic> out = new HashMap<>();
        for (var e : root.path("auths").properties()) {
            JsonNode v = e.getValue();
            Basic b = null;
            if (v.hasNonNull("auth")) {
                String decoded = new String(Base64.getDecoder().decode(v.path("auth").asText().trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    b = new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
                }
            } else if (v.hasNonNull("username") && v.hasNonNull("password")) {
                b = new Basic(v.path("username").asText(), v.path("password").asText());
            }
            if (b != null) {
                out.put(hostOf(e.getKey()), b);
            }
        }
        return new RegistryCredentials(out, null);
    }

    /** Config keys are host names or URLs; Docker Hub has a legacy URL key. */
    private static String hostOf(String key) {
        if (key.equals(DOCKER_HUB_KEY)) {
            return RegistryReference.DOCKER_HUB;
        }
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    Optional<Basic> forHost(String host) {
        if (everywhere != null) {
            return Optional.of(everywhere);
        }
        return Optional.ofNullable(byHost.get(host));
    }

    @Override
    public String toString() {
        return everywhere != null ? "credentials for every host" : "credentials for " + byHost.keySet();
    }
}
