package dev.portcullis.vulndb.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key pair an installation signs bundles with, kept as {@code bundle-signing.key} (PKCS#8, owner-only)
 * and {@code bundle-signing.pub} (X.509, PEM-like base64) in a directory; created on first use. The public file is
 * what an offline installation is given to trust.
 */
public final class BundleKeys {
    private BundleKeys() {
    }

    public static KeyPair loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve("bundle-signing.key");
        Path pub = dir.resolve("bundle-signing.pub");
        try {
            if (Files.exists(priv) && Files.exists(pub)) {
                PrivateKey p = KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(decode(Files.readString(priv))));
                return new KeyPair(readPublic(pub), p);
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(dir);
            write(priv, pair.getPrivate().getEncoded(), "PRIVATE KEY", true);
            write(pub, pair.getPublic().getEncoded(), "PUBLIC KEY", false);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IOException("bundle signing key in " + dir + " is unusable: " + e.getMessage(), e);
        }
    }

    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(decode(Files.readString(file))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, byte[] der, String label, boolean secret) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem);
        if (secret && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] decode(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
    }
}
