package dev.portcullis.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.portcullis.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ES256 keys that sign access tokens, kept in the database so that every node signs and verifies alike.
 * The newest key signs until it is {@code rotation} old; then a new key takes over and the old one stays published
 * (and accepted) for {@code overlap}, longer than any token it signed can live, and is then deleted.
 */
public final class KeyRing {
    private final Database db;
    private final Clock clock;
    private final Duration rotation;
    private final Duration overlap;
    private volatile List<StoredKey> cache = List.of();
    /** Unknown key ids reload the ring at most once a second, so forged ids cannot turn into database load. */
    private volatile Instant lastMissReload = Instant.MIN;

    /** A key row: retired keys verify but no longer sign. */
    record StoredKey(ECKey key, Instant createdAt, Optional<Instant> retiredAt) {
    }

    public KeyRing(Database db, Clock clock, Duration rotation, Duration overlap) {
        if (rotation.compareTo(overlap) <= 0) {
            throw new IllegalArgumentException("key rotation (" + rotation + ") must be longer than the overlap ("
                    + overlap + ")");
        }
        this.db = db;
        this.clock = clock;
        this.rotation = rotation;
        this.overlap = overlap;
    }

    /** The key to sign with now, rotating first when it is due. */
    public synchronized ECKey signingKey() {
        Instant now = clock.instant();
        Optional<StoredKey> active = active(cache);
        if (active.isEmpty() || !active.get().createdAt().plus(rotation).isAfter(now)) {
            cache = load();
            active = active(cache);
        }
        if (active.isEmpty() || !active.get().createdAt().plus(rotation).isAfter(now)) {
            rotate();
            active = active(cache);
        }
        return active.orElseThrow().key();
    }

    /** Retires the signing key now and creates a new one (also used on a suspected key compromise). */
    public synchronized void rotate() {
        Instant now = clock.instant();
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
        db.inTransaction(c -> {
            try (PreparedStatement retire = c.prepareStatement(
                    "UPDATE auth_signing_key SET retired_at = ? WHERE retired_at IS NULL");
                 PreparedStatement purge = c.prepareStatement(
                         "DELETE FROM auth_signing_key WHERE retired_at IS NOT NULL AND retired_at < ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO auth_signing_key (kid, jwk, created_at) VALUES (?, ?, ?)")) {
                retire.setString(1, now.toString());
                retire.executeUpdate();
                purge.setString(1, now.minus(overlap).toString());
                purge.executeUpdate();
                insert.setString(1, key.getKeyID());
                insert.setString(2, key.toJSONString());
                insert.setString(3, now.toString());
                insert.executeUpdate();
            }
            return null;
        });
        cache = load();
    }

    /** The public keys that verify tokens now: the signing key and those retired less than the overlap ago. */
    public JWKSet publicKeys() {
        signingKey();
        List<JWK> keys = new ArrayList<>();
        for (StoredKey k : valid(cache)) {
            keys.add(k.key().toPublicJWK());
        }
        return new JWKSet(keys);
    }

    /** The verification key with this id; reloads once on a miss (another node may have rotated). */
    Optional<ECKey> verificationKey(String kid) {
        Optional<ECKey> found = find(kid);
        Instant now = clock.instant();
        if (found.isEmpty() && lastMissReload.plusSeconds(1).isBefore(now)) {
            lastMissReload = now;
            cache = load();
            found = find(kid);
        }
        return found;
    }

    private Optional<ECKey> find(String kid) {
        return valid(cache).stream().filter(k -> k.key().getKeyID().equals(kid)).map(k -> k.key().toPublicJWK())
                .findFirst();
    }

    private List<StoredKey> valid(List<StoredKey> keys) {
        Instant now = clock.instant();
        return keys.stream().filter(k -> k.retiredAt().map(r -> r.plus(overlap).isAfter(now)).orElse(true)).toList();
    }

    private static Optional<StoredKey> active(List<StoredKey> keys) {
        return keys.stream().filter(k -> k.retiredAt().isEmpty()).reduce((a, b) -> b);
    }

    private List<StoredKey> load() {
        return db.read(c -> {
            List<StoredKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT jwk, created_at, retired_at FROM auth_signing_key ORDER BY created_at");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(new StoredKey(ECKey.parse(rs.getString(1)), Instant.parse(rs.getString(2)),
                                Optional.ofNullable(rs.getString(3)).map(Instant::parse)));
                    } catch (ParseException e) {
                        throw new IllegalStateException("a signing key in the database is corrupt: "
                                + e.getMessage(), e);
                    }
                }
            }
            return List.copyOf(out);
        });
    }
}
