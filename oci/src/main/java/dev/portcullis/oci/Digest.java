package dev.portcullis.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as defined by the OCI image spec: {@code algorithm ":" encoded}. Only the two registered
 * algorithms are accepted, so that a {@code Digest} can always be verified and safely used as a file name.
 */
public record Digest(Algorithm algorithm, String encoded) implements Comparable<Digest> {

    /** The registered algorithms; the encoded part is lower-case hex of a fixed length. */
    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String id;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String id, String jcaName, int hexLength) {
            this.id = id;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String id() {
            return id;
        }

        public int hexLength() {
            return hexLength;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always provides " + jcaName, e);
            }
        }

        static Algorithm byId(String id) {
            for (Algorithm a : values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
            return null;
        }
    }

    // The spec's grammar: algorithm-component (separator algorithm-component)* ":" encoded
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        if (algorithm == null || encoded == null) {
            throw new InvalidDigestException("digest parts must not be null");
        }
        if (encoded.length() != algorithm.hexLength || !LOWER_HEX.matcher(encoded).matches()) {
            throw new InvalidDigestException("a " + algorithm.id + " digest must be " + algorithm.hexLength
                    + " lower-case hex characters, got '" + abbreviate(encoded) + "'");
        }
    }

    /** Parses {@code sha256:<hex>} or {@code sha512:<hex>}; anything else is an {@link InvalidDigestException}. */
    public static Digest parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidDigestException("digest is empty");
        }
        if (text.length() > 256 || !GRAMMAR.matcher(text).matches()) {
            throw new InvalidDigestException("'" + abbreviate(text) + "' is not a digest of the form algorithm:hex");
        }
        int colon = text.indexOf(':');
        Algorithm algorithm = Algorithm.byId(text.substring(0, colon));
        if (algorithm == null) {
            throw new UnsupportedDigestException("digest algorithm '" + text.substring(0, colon)
                    + "' is not supported; use sha256 or sha512");
        }
        return new Digest(algorithm, text.substring(colon + 1));
    }

    public static Digest of(Algorithm algorithm, byte[] rawDigest) {
        return new Digest(algorithm, HexFormat.of().formatHex(rawDigest));
    }

    public static Digest sha256(byte[] content) {
        return of(Algorithm.SHA256, Algorithm.SHA256.newMessageDigest().digest(content));
    }

    public static Digest compute(Algorithm algorithm, byte[] content) {
        return of(algorithm, algorithm.newMessageDigest().digest(content));
    }

    /** True when {@code content} hashes to this digest. */
    public boolean matches(byte[] content) {
        return MessageDigest.isEqual(algorithm.newMessageDigest().digest(content), HexFormat.of().parseHex(encoded));
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm.id + ":" + encoded;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
