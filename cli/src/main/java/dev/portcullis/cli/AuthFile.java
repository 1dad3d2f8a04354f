package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

/**
 * Credentials stored the way {@code ~/.docker/config.json} stores them ({@code auths.<host>.identitytoken}, with
 * {@code auth} set to base64 of {@code <token>:} as docker does for identity tokens), so docker, podman and skopeo
 * can use a {@code portcullis login} as well. Other keys of the file are kept.
 */
final class AuthFile {
    private final Path file;

    AuthFile(Path file) {
        this.file = file;
    }

    /** {@code --auth-file}, else {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static AuthFile resolve(Path explicit) {
        if (explicit != null) {
            return new AuthFile(explicit);
        }
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        Path dir = dockerConfig != null && !dockerConfig.isBlank() ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new AuthFile(dir.resolve("config.json"));
    }

    static String host(URI server) {
        return server.getPort() < 0 ? server.getHost() : server.getHost() + ":" + server.getPort();
    }

    Optional<String> identityToken(URI server) throws IOException {
        JsonNode entry = read().path("auths").path(host(server));
        return entry.hasNonNull("identitytoken") ? Optional.of(entry.get("identitytoken").asText())
                : Optional.empty();
    }

    /** The hosts this file holds a {@code portcullis login} identity token for. */
    java.util.List<String> identityHosts() throws IOException {
        java.util.List<String> hosts = new java.util.ArrayList<>();
        read().path("auths").properties().forEach(e -> {
            if (e.getValue().hasNonNull("identitytoken")) {
                hosts.add(e.getKey());
            }
        });
        return hosts;
    }

    void storeIdentityToken(URI server, String token) throws IOException {
        ObjectNode root = read();
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths")
                : root.putObject("auths");
        ObjectNode entry = auths.putObject(host(server));
        entry.put("auth", Base64.getEncoder().encodeToString("<token>:".getBytes(StandardCharsets.UTF_8)));
        entry.put("identitytoken", token);
        write(root);
    }

    void remove(URI server) throws IOException {
        ObjectNode root = read();
        if (root.get("auths") instanceof ObjectNode auths) {
            auths.remove(host(server));
            write(root);
        }
    }

    private ObjectNode read() throws IOException {
        if (!Files.exists(file)) {
            return Json.object();
        }
        JsonNode node = Json.parse(Files.readAllBytes(file));
        if (!(node instanceof ObjectNode o)) {
            throw new IOException(file + " is not a JSON object");
        }
        return o;
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the home directory's permissions protect it.
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
