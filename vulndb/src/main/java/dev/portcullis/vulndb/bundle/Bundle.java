package dev.portcullis.vulndb.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.store.AdvisoryCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * An offline bundle of the whole vulnerability database: a zip holding {@code portcullis-bundle.json} (feeds with
 * record counts and their original import times, so staleness travels with the data; the payload's SHA-256),
 * {@code advisories.jsonl} (one stored advisory per line) and {@code portcullis-bundle.sig} (Ed25519 signature of
 * the manifest bytes). An importer verifies the signature with a key it trusts, then the payload digest.
 */
public final class Bundle {
    public static final String MANIFEST = "portcullis-bundle.json";
    static final String PAYLOAD = "advisories.jsonl";
    static final String SIGNATURE = "portcullis-bundle.sig";
    static final String FORMAT = "portcullis-vulndb-bundle/1";
    private static final long MAX_LINE = 16L * 1024 * 1024;

    /** A feed as the bundle describes it. */
    public record FeedEntry(String name, String format, String source, long records, Instant lastImport) {
    }

    /** Receives the verified content of a bundle. */
    public interface Content {
        void feed(FeedEntry feed) throws SQLException;

        void advisory(JsonNode advisory) throws SQLException;
    }

    private Bundle() {
    }

    /** Writes the database's advisories to {@code file} (atomically: temp file, then rename). */
    public static void export(Connection c, Path file, KeyPair keys, Instant now) throws IOException, SQLException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MessageDigest sha = sha256();
        long lines = 0;
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
            ObjectNode manifest = Json.object().put("format", FORMAT).put("created", now.toString());
            ArrayNode feeds = manifest.putArray("feeds");
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT name, format, source, records, last_import FROM vulndb_feed ORDER BY name");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    feeds.addObject().put("name", rs.getString(1)).put("format", rs.getString(2))
                            .put("source", rs.getString(3)).put("records", rs.getLong(4))
                            .put("last_import", rs.getString(5));
                }
            }
            zip.putNextEntry(new ZipEntry(PAYLOAD));
            try (PreparedStatement q = c.prepareStatement("SELECT document FROM vulndb_advisory ORDER BY feed, id");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    byte[] json = AdvisoryCodec.inflate(rs.getBytes(1));
                    sha.update(json);
                    sha.update((byte) '\n');
                    zip.write(json);
                    zip.write('\n');
                    lines++;
                }
            }
            zip.closeEntry();
            manifest.putObject("payload").put("path", PAYLOAD).put("sha256", HexFormat.of().formatHex(sha.digest()))
                    .put("records", lines);
            byte[] manifestBytes = Json.write(manifest);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(manifestBytes);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(SIGNATURE));
            zip.write(Base64.getEncoder().encode(sign(manifestBytes, keys)));
            zip.closeEntry();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code file} is a bundle (a zip with a bundle manifest). */
    public static boolean isBundle(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(MANIFEST) != null && zip.getEntry(SIGNATURE) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Verifies and reads a bundle. The signature is checked before anything is delivered; the payload digest is
     * checked at its end, so a caller inside a transaction rolls back on the {@link FeedException} it throws.
     */
    public static void read(Path file, PublicKey trusted, Content content) throws IOException, SQLException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] manifestBytes = entry(zip, MANIFEST, 16 * 1024 * 1024);
            byte[] signature = Base64.getDecoder().decode(entry(zip, SIGNATURE, 4096));
            if (!verify(manifestBytes, signature, trusted)) {
                throw new FeedException(file + ": bundle signature does not verify with the trusted key");
            }
            JsonNode manifest = Json.parse(manifestBytes);
            if (!FORMAT.equals(manifest.path("format").asText())) {
                throw new FeedException(file + ": not a " + FORMAT + " bundle");
            }
            for (JsonNode f : manifest.path("feeds")) {
                content.feed(new FeedEntry(f.path("name").asText(), f.path("format").asText(),
                        f.path("source").asText(), f.path("records").asLong(),
                        Instant.parse(f.path("last_import").asText())));
            }
            ZipEntry payload = zip.getEntry(PAYLOAD);
            if (payload == null) {
                throw new FeedException(file + ": bundle has no " + PAYLOAD);
            }
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(zip.getInputStream(payload), sha);
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.length() > MAX_LINE) {
                        throw new FeedException(file + ": advisory line longer than " + MAX_LINE);
                    }
                    content.advisory(Json.parse(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            if (!digest.equals(manifest.path("payload").path("sha256").asText())) {
                throw new FeedException(file + ": payload digest " + digest + " does not match the signed manifest");
            }
        }
    }

    private static byte[] entry(ZipFile zip, String name, int max) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new FeedException(zip.getName() + ": bundle has no " + name);
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new FeedException(zip.getName() + ": " + name + " larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    private static byte[] sign(byte[] data, KeyPair keys) throws IOException {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign bundle: " + e.getMessage(), e);
        }
    }

    private static boolean verify(byte[] data, byte[] signature, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
