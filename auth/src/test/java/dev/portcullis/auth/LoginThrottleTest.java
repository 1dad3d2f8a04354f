package dev.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 10, Duration.ofMinutes(15));

    @Test
    void locksAnAccountAfterTheThresholdWithDoublingBackoff() {
        for (int i = 0; i < 3; i++) {
            throttle.check("alice", "10.0.0." + i);
            throttle.failure("alice", "10.0.0." + i);
        }
        assertThatThrownBy(() -> throttle.check("alice", "10.0.0.9"))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AuthException.Reason.LOCKED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                });
        clock.advance(Duration.ofSeconds(1));
        throttle.failure("alice", "10.0.0.9");
        assertThatThrownBy(() -> throttle.check("alice", "10.0.0.9")).isInstanceOfSatisfying(AuthException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        assertThatCode(() -> throttle.check("bob", "10.0.0.99")).doesNotThrowAnyException();
    }

    @Test
    void locksASourceAddressAcrossAccounts() {
        for (int i = 0; i < 10; i++) {
            throttle.failure("user" + i, "192.0.2.1");
        }
        assertThatThrownBy(() -> throttle.check("someone-new", "192.0.2.1")).isInstanceOf(AuthException.class);
        assertThatCode(() -> throttle.check("someone-new", "192.0.2.2")).doesNotThrowAnyException();
    }

    @Test
    void backoffIsCappedAndFailuresAreForgotten() {
        for (int i = 0; i < 40; i++) {
            throttle.failure("carol", "x");
        }
        assertThatThrownBy(() -> throttle.check("carol", "y")).isInstanceOfSatisfying(AuthException.class,
                e -> assertThat(e.retryAfter().orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(16));
        throttle.failure("carol", "z");
        assertThatCode(() -> throttle.check("carol", "z")).doesNotThrowAnyException();
    }

    @Test
    void successClearsTheAccount() {
        throttle.failure("dave", "a");
        throttle.failure("dave", "a");
        throttle.success("dave");
        throttle.failure("dave", "a");
        assertThatCode(() -> throttle.check("dave", "b")).doesNotThrowAnyException();
    }
}
