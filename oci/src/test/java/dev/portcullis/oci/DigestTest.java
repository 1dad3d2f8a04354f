package dev.portcullis.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndPrintsSha256() {
        Digest d = Digest.parse(EMPTY_SHA256);
        assertThat(d.algorithm()).isEqualTo(Digest.Algorithm.SHA256);
        assertThat(d).hasToString(EMPTY_SHA256);
        assertThat(Digest.sha256(new byte[0])).isEqualTo(d);
        assertThat(d.matches(new byte[0])).isTrue();
        assertThat(d.matches("x".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void sha512IsSupported() {
        Digest d = Digest.compute(Digest.Algorithm.SHA512, "abc".getBytes(StandardCharsets.UTF_8));
        assertThat(Digest.parse(d.toString())).isEqualTo(d);
        assertThat(d.encoded()).hasSize(128);
    }

    @Test
    void rejectsMalformedAndUnknown() {
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).isInstanceOf(InvalidDigestException.class)
                .hasMessageContaining("64");
        assertThatThrownBy(() -> Digest.parse(EMPTY_SHA256.toUpperCase())).isInstanceOf(InvalidDigestException.class);
        assertThatThrownBy(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"))
                .isInstanceOf(UnsupportedDigestException.class);
        assertThatThrownBy(() -> Digest.parse("../../etc/passwd")).isInstanceOf(InvalidDigestException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:../" + "a".repeat(61))).isInstanceOf(InvalidDigestException.class);
        assertThatThrownBy(() -> Digest.parse("")).isInstanceOf(InvalidDigestException.class);
    }
}
