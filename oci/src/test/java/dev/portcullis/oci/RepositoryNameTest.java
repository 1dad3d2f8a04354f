package dev.portcullis.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "unscanned/team/app", "a0/b-c/d__e/f.g", "x--y", "library/ubuntu"})
    void acceptsSpecNames(String name) {
        assertThat(RepositoryName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/../b", "A", "a//b", "/a", "a/", "a___b", "a.-b", ".a", "a b", "a/./b", ""})
    void rejectsInvalidNames(String name) {
        assertThatThrownBy(() -> RepositoryName.of(name)).isInstanceOf(RepositoryName.InvalidNameException.class);
    }

    @org.junit.jupiter.api.Test
    void rejectsOverlongNames() {
        assertThatThrownBy(() -> RepositoryName.of("a".repeat(256)))
                .isInstanceOf(RepositoryName.InvalidNameException.class).hasMessageContaining("255");
        assertThat(RepositoryName.of("a".repeat(255)).value()).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.0", "_x", "A-b_c.d"})
    void tags(String tag) {
        assertThat(Tag.isValid(tag)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".x", "-x", "a/b", "a:b"})
    void badTags(String tag) {
        assertThat(Tag.isValid(tag)).isFalse();
    }
}
