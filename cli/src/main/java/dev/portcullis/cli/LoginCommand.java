package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis login URL}: trades a password (or robot secret) for a refresh token through the server's token
 * endpoint and stores it as docker does, so {@code admin --server}, docker, podman and skopeo can use it.
 */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Log in to a Portcullis server.")
final class LoginCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", converter = ServerUrl.class, description = "Server URL, e.g."
            + " https://registry.example.com; HOST[:PORT] alone means https.")
    URI server;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM certificate of a private CA to trust,"
            + " besides the system's and the JDK's.")
    Path caCert;

    @Option(names = {"-u", "--username"}, required = true)
    String user;

    @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = "--auth-file", paramLabel = "FILE", description = "Default: ~/.docker/config.json.")
    Path authFile;

    @Override
    public Integer call() throws Exception {
        String password = AdminCommand.readSecret();
        try {
            JsonNode r = new RemoteApi(server, TrustedCertificates.sslContext(caCert)).token(Map.of("grant_type", "password", "username", user,
                    "password", password, "access_type", "offline"));
            String refresh = r.path("refresh_token").asText("");
            if (refresh.isEmpty()) {
                System.err.println("portcullis: the server issued no refresh token");
                return 1;
            }
            AuthFile.resolve(authFile).storeIdentityToken(server, refresh);
        } catch (RemoteApi.ApiException e) {
            System.err.println("portcullis: login failed: " + e.getMessage());
            return 1;
        }
        System.out.println("Login Succeeded");
        return 0;
    }
}
