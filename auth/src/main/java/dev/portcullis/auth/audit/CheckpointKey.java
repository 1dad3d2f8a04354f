package dev.portcullis.auth.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Arrays;
import java.util.UUID;

/**
 * The ES256 key that signs audit checkpoints. It is kept in a file beside the database (mode 0600), not in it, so
 * that whoever can rewrite database rows still cannot forge a checkpoint. Its public half verifies exports offline.
 */
public final class CheckpointKey {
    private final ECKey key;

    private CheckpointKey(ECKey key) {
        this.key = key;
    }

    /** Loads the key from {@code file}, creating it on first use. */
    public static CheckpointKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new CheckpointKey(ECKey.parse(Files.readString(file)));
            }
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("audit-" + UUID.randomUUID()).generate();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the directory's own permissions protect the key.
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new CheckpointKey(key);
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load or create the audit checkpoint key " + file + ": "
                    + e.getMessage(), e);
        }
    }

    public ECKey publicKey() {
        return key.toPublicJWK();
    }

    public String kid() {
        return key.getKeyID();
    }

    String sign(byte[] payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new Payload(payload));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an audit checkpoint failed", e);
        }
    }

    /** True when {@code signature} is an ES256 JWS by {@code publicKey} over exactly {@code payload}. */
    static boolean verify(ECKey publicKey, String signature, byte[] payload) {
        try {
            JWSObject jws = JWSObject.parse(signature);
            return JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
                    && Arrays.equals(jws.getPayload().toBytes(), payload)
                    && jws.verify(new ECDSAVerifier(publicKey));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }
}
