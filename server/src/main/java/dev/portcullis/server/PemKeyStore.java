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
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
            requireMatch(chain[0], key, certFile, keyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("portcullis", key, PASSWORD, chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a key that is not the certificate's: Jetty would start with it and then fail every handshake, which
     * clients report only as a vague TLS error. A signature made with the key must verify with the certificate.
     */
    private static void requireMatch(Certificate cert, PrivateKey key, Path certFile, Path keyFile)
            throws GeneralSecurityException {
        PublicKey certKey = cert.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        boolean sameKind = certKey.getAlgorithm().equals(key.getAlgorithm())
                || (certKey.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"));
        boolean matches = false;
        if (sameKind && algorithm != null) {
            byte[] probe = "portcullis TLS key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } else if (algorithm == null) {
            throw new IllegalArgumentException(keyFile + ": unsupported key algorithm " + key.getAlgorithm()
                    + " (use RSA, EC or Ed25519)");
        }
        if (!matches) {
            throw new IllegalArgumentException("the TLS key " + keyFile + " does not belong to the certificate "
                    + certFile + " (" + ((X509Certificate) cert).getSubjectX500Principal()
                    .getName() + "): every TLS handshake would fail; give the key the certificate was issued for");
        }
    }
}
