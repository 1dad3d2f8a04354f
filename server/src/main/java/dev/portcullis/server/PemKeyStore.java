package dev.portcullis.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds the in-memory key store Jetty's TLS needs from the PEM files operators have: a certificate chain and a
 * private key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form. BouncyCastle's PEM parser reads all three.
 */
final class PemKeyStore {
    static final char[] PASSWORD = "portcullis".toCharArray();

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile) {
        try {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(certFile)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
            }
            if (chain.length == 0) {
                throw new IllegalArgumentException(certFile + " holds no PEM certificate");
            }
            PrivateKey key;
            try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
                 PEMParser parser = new PEMParser(r)) {
                Object o = parser.readObject();
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                key = switch (o) {
                    case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                    case PrivateKeyInfo info -> converter.getPrivateKey(info);
                    case null, default -> throw new IllegalArgumentException(keyFile
                            + " holds no unencrypted PEM private key (PKCS#8, RSA or EC)");
                };
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("portcullis", key, PASSWORD, chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }
}
