package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * The three checks every configuration record gets, after airlift's {@code ConfigAssertions}: its defaults, the
 * mapping of every one of its keys from each source (file, environment, flag), and the refusal of wrong values with
 * a message naming the key, the source and the expected form.
 */
final class ConfigAssertions {
    private ConfigAssertions() {
    }

    /** Where a test puts the values. */
    enum Source { FILE, ENVIRONMENT, FLAGS }

    /** Loading with nothing set gives {@code expected}. */
    static <R> void assertDefaults(Function<ServerConfig, R> record, R expected) {
        assertThat(record.apply(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()))).isEqualTo(expected);
    }

    /**
     * Every key in {@code values} is set to a value other than its default, and gives {@code expected} read from the
     * file, from the environment, and from flags (keys without a flag then come from the environment). Secrets are
     * read only from the environment, so they are there in every round.
     */
    static <R> void assertFullMapping(Path dir, Map<ConfigKey<?>, String> values, Function<ServerConfig, R> record,
                                      R expected) {
        values.forEach((key, text) -> key.defaultValue().ifPresent(d -> assertThat(key.type().parse(text))
                .as("%s must be mapped to a value other than its default", key.name()).isNotEqualTo(d)));
        for (Source source : Source.values()) {
            assertThat(record.apply(load(dir, source, values))).as("read from %s", source).isEqualTo(expected);
        }
    }

    /** Loading {@code key = text} from {@code source} fails naming the key, the source and {@code expected}. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path dir, Source source, ConfigKey<?> key,
                                                                          String text) {
        String origin = switch (source) {
            case FILE -> "config file";
            case ENVIRONMENT -> "environment " + key.env();
            case FLAGS -> "flag " + key.flag().orElseThrow();
        };
        return assertThatThrownBy(() -> load(dir, source, Map.of(key, text)))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageStartingWith(key.name() + " (from " + origin)
                .hasMessageContaining("expected " + key.type().form());
    }

    /** Loads {@code values} from {@code source}; secrets, and keys without a flag in {@link Source#FLAGS}, from env. */
    static ServerConfig load(Path dir, Source source, Map<ConfigKey<?>, String> values) {
        Map<String, Object> yaml = new LinkedHashMap<>();
        Map<String, String> env = new HashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        values.forEach((key, text) -> {
            if (source == Source.FILE && key.fileKey()) {
                put(yaml, key.name(), text);
            } else if (source == Source.FLAGS && key.flag().isPresent()) {
                flags.put(key.flag().get(), text);
            } else {
                env.put(key.env(), text);
            }
        });
        Optional<Path> file = Optional.empty();
        if (!yaml.isEmpty()) {
            try {
                file = Optional.of(Files.write(Files.createTempFile(dir, "portcullis", ".yaml"),
                        new ObjectMapper(new YAMLFactory()).writeValueAsBytes(yaml)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ConfigLoader.load(file, env, flags);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> yaml, String dotted, String value) {
        int dot = dotted.indexOf('.');
        if (dot < 0) {
            yaml.put(dotted, value);
        } else {
            put((Map<String, Object>) yaml.computeIfAbsent(dotted.substring(0, dot), k -> new LinkedHashMap<>()),
                    dotted.substring(dot + 1), value);
        }
    }
}
