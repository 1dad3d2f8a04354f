package dev.portcullis.oci;

/** What a manifest URL names after {@code /manifests/}: a tag or a digest. */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }

    /** A string with a colon is a digest, anything else must be a tag. */
    static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return new ByDigest(Digest.parse(text));
        }
        return new ByTag(new Tag(text));
    }
}
