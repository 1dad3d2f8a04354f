package dev.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = TestAuth.CHEAP;

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse battery", new SecureRandom());
        assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(hasher.verify("correct horse battery", hash)).isTrue();
        assertThat(hasher.verify("correct horse batterY", hash)).isFalse();
        assertThat(hasher.verify("correct horse battery", "$argon2id$garbage")).isFalse();
    }

    @Test
    void saltsEveryHash() {
        SecureRandom r = new SecureRandom();
        assertThat(hasher.hash("same password!", r)).isNotEqualTo(hasher.hash("same password!", r));
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String strong = PasswordHasher.OWASP.hash("a strong password", new SecureRandom());
        assertThat(strong).contains("m=19456,t=2,p=1");
        assertThat(hasher.verify("a strong password", strong)).isTrue();
    }

    @Test
    void shortPasswordsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> PasswordHasher.requireAcceptable("short"))
                .hasMessageContaining("at least 12 characters");
    }
}
