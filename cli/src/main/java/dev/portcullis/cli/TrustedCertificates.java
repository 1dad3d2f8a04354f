package dev.portcullis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities the CLI trusts when it talks to a server: the JDK's own, the operating system's
 * bundle (where a company CA installed with update-ca-certificates or update-ca-trust lands), and those of
 * {@code --ca-cert FILE} for a private CA that is in neither.
 */
final class TrustedCertificates {
    /** Where Debian/Ubuntu/Alpine and Fedora/RHEL keep the system bundle. */
    static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"));

    private TrustedCertificates() {
    }

    /** An SSL context trusting the JDK's, the system's and {@code caCert}'s authorities ({@code caCert} may be null). */
    static SSLContext sslContext(Path caCert) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int n = 0;
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        for (TrustManager tm : jdk.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate c : x509.getAcceptedIssuers()) {
                    trust.setCertificateEntry("jdk-" + n++, c);
                }
            }
        }
        for (Path bundle : SYSTEM_BUNDLES) {
            if (Files.isReadable(bundle)) {
                for (Certificate c : read(bundle)) {
                    trust.setCertificateEntry("system-" + n++, c);
                }
            }
        }
        if (caCert != null) {
            Collection<? extends Certificate> given = read(caCert);
            if (given.isEmpty()) {
                throw new IOException(caCert + " holds no PEM certificate (--ca-cert)");
            }
            for (Certificate c : given) {
                trust.setCertificateEntry("ca-cert-" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static Collection<? extends Certificate> read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("cannot read the certificates in " + pem + ": " + e.getMessage(), e);
        }
    }
}
