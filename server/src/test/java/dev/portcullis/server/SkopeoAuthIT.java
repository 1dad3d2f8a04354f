package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Identities;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo through the real token flow: a robot account pushes with {@code --dest-creds}, a user pulls with
 * {@code --src-creds}, nobody pushes into scanned/, no credentials get nothing until anonymous pull is switched on;
 * and the same over TLS from PEM files.
 */
class SkopeoAuthIT {
    @TempDir
    Path dir;

    private static boolean skopeoAvailable() {
        try {
            Process p = new ProcessBuilder("skopeo", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs skopeo; returns its exit code and output. */
    private record Run(int exit, String output) {
    }

    private static Run skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("skopeo finished: " + command).isTrue();
        return new Run(p.exitValue(), output);
    }

    private static String refName(Path layout) throws IOException {
        JsonNode index = Json.parse(Files.readAllBytes(layout.resolve("index.json")));
        return index.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name").asText();
    }

    @Test
    void robotPushesUserPullsThroughTheTokenFlow() throws Exception {
        Assumptions.assumeTrue(skopeoAvailable(), "skopeo is not installed (apt-get install skopeo; .ci/run does)");
        Path layout = Corpus.image("alpine-3.10.3").resolve("oci");
        try (AuthTestServer s = new AuthTestServer(dir.resolve("data"))) {
            s.team("acme");
            s.user("dev", Grant.inTeam("acme", Role.READER));
            Identities.NewRobot robot = s.server.auth().administration().addRobot(s.admin, s.ctx(), "ci", "acme",
                    Role.DEVELOPER, List.of("unscanned/acme/**"), Optional.empty());
            String host = "127.0.0.1:" + s.server.port();
            String robotCreds = robot.robot().name() + ":" + robot.secret();
            String src = "oci:" + layout + ":" + refName(layout);

            Run push = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", robotCreds, src,
                    "docker://" + host + "/unscanned/acme/alpine:1");
            assertThat(push.exit()).as(push.output()).isZero();
            assertThat(s.server.auth().identities().robotRow(robot.robot().name()).orElseThrow().lastUsedAt())
                    .isPresent();
            List<AuditEntry> pushes = List.of();
            for (int i = 0; i < 50 && pushes.isEmpty(); i++) { // written just after the response
                Thread.sleep(i == 0 ? 0 : 50);
                pushes = s.server.auth().audit().query(new AuditQuery(Optional.of("acme+ci"), Optional.of("acme"),
                        Optional.empty(), Optional.of("registry.push"), Optional.empty(), Optional.empty(), 0, 10));
            }
            assertThat(pushes).singleElement().satisfies(e -> {
                assertThat(e.event().target()).isEqualTo("unscanned/acme/alpine:1");
                assertThat(e.event().outcome()).isEqualTo("success");
            });

            Run intoScanned = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", robotCreds, src,
                    "docker://" + host + "/scanned/acme/alpine:1");
            assertThat(intoScanned.exit()).isNotZero();
            assertThat(intoScanned.output()).containsAnyOf("denied", "403");

            // The gate's promotion path, called here directly: the same manifest in scanned/.
            var from = dev.portcullis.registry.Registry.name("unscanned/acme/alpine");
            s.server.registry().promote(from, s.server.registry().manifest(from, "1").digest(),
                    java.util.Optional.of("1"));

            Run pull = skopeo("copy", "--src-tls-verify=false", "--src-creds", "dev:" + AuthTestServer.PASSWORD,
                    "docker://" + host + "/scanned/acme/alpine:1", "oci:" + dir.resolve("pulled") + ":1");
            assertThat(pull.exit()).as(pull.output()).isZero();

            Run anonymous = skopeo("inspect", "--tls-verify=false", "docker://" + host + "/scanned/acme/alpine:1");
            assertThat(anonymous.exit()).isNotZero();
            assertThat(anonymous.output()).containsIgnoringCase("unauthorized");

            s.server.auth().administration().setAnonymousPull(s.admin, s.ctx(), List.of("scanned/acme/*"));
            Run anonymousAllowed = skopeo("inspect", "--tls-verify=false", "docker://" + host
                    + "/scanned/acme/alpine:1");
            assertThat(anonymousAllowed.exit()).as(anonymousAllowed.output()).isZero();
            Run anonymousUnscanned = skopeo("inspect", "--tls-verify=false", "docker://" + host
                    + "/unscanned/acme/alpine:1");
            assertThat(anonymousUnscanned.exit()).isNotZero();
        }
    }

    @Test
    void servesTlsFromPemFiles() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair pair = gen.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=localhost"), BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), new X500Name("CN=localhost"), pair.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        Path certFile = dir.resolve("tls.crt");
        Path keyFile = dir.resolve("tls.key");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(certFile))) {
            w.writeObject(cert);
        }
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(keyFile))) {
            w.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null)); // what "openssl genpkey" writes
        }
        ServerConfig config = ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(dir.resolve("data"))
                .withSecurity(new ServerConfig.Security(Optional.of(certFile), Optional.of(keyFile), false,
                        Optional.empty(), java.time.Duration.ofMinutes(5)));
        config.requireSafeServing();
        try (PortcullisServer server = new PortcullisServer(config, Clock.systemUTC())) {
            server.bootstrapAdmin(Optional.of(AuthTestServer.ADMIN_PASSWORD));
            server.start();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("portcullis", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:"
                    + server.port() + "/v2/")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"https://127.0.0.1:" + server.port() + "/token\"");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();

            if (skopeoAvailable() && Corpus.find().isPresent()) {
                Path layout = Corpus.image("alpine-3.10.3").resolve("oci");
                Run inspect = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "admin:"
                        + AuthTestServer.ADMIN_PASSWORD, "oci:" + layout + ":" + refName(layout),
                        "docker://127.0.0.1:" + server.port() + "/unscanned/acme/alpine:1");
                // admin holds no team role: the push is refused, over TLS, after a successful login.
                assertThat(inspect.exit()).isNotZero();
                assertThat(inspect.output()).containsAnyOf("denied", "403");
            }
        }
    }

    @Test
    void plainHttpOutsideDevNeedsBehindProxy() {
        ServerConfig plain = ServerConfig.defaults();
        org.assertj.core.api.Assertions.assertThatThrownBy(plain::requireSafeServing)
                .hasMessageContaining("--behind-proxy");
        plain.withDev(true).requireSafeServing();
        plain.withSecurity(new ServerConfig.Security(Optional.empty(), Optional.empty(), true, Optional.empty(),
                java.time.Duration.ofMinutes(5))).requireSafeServing();
    }
}
