package dev.portcullis.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The values of the {@link ConfigKeys} as read from every source, in increasing precedence: the key's default, the
 * YAML file, the environment, then {@code serve} flags. This is the one place that reads configuration; each value
 * is parsed by its key's {@link ConfigType}, so a value of the wrong form is refused naming the key, where it came
 * from and what was expected, and a key the table does not know is refused with the nearest one it does.
 */
final class ConfigValues {
    private static final List<ConfigKey<?>> KEYS = ConfigKeys.ALL;

    /** A value and where it came from ("config file /etc/p.yaml", "environment PORTCULLIS_DATA", "flag --data"). */
    private record Setting(Object value, String origin) {
    }

    private final Map<ConfigKey<?>, Setting> settings;

    private ConfigValues(Map<ConfigKey<?>, Setting> settings) {
        this.settings = settings;
    }

    /**
     * Reads all sources. {@code flags} maps a flag ({@code --listen}) to its text, holding only the flags given.
     *
     * @throws ConfigLoader.ConfigException for an unreadable file, an unknown key, or a value of the wrong form
     */
    static ConfigValues read(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        Map<ConfigKey<?>, Setting> settings = new HashMap<>();
        if (file.isPresent()) {
            readFile(file.get(), settings);
        }
        for (ConfigKey<?> key : KEYS) {
            String v = env.get(key.env());
            // An empty variable is unset: container tools pass VAR= for "no value".
            if (v != null && !v.isEmpty()) {
                settings.put(key, parse(key, v, "environment " + key.env()));
            }
        }
        for (Map.Entry<String, String> f : flags.entrySet()) {
            ConfigKey<?> key = KEYS.stream().filter(k -> k.flag().equals(Optional.of(f.getKey()))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no configuration key has the flag " + f.getKey()));
            settings.put(key, parse(key, f.getValue(), "flag " + f.getKey()));
        }
        return new ConfigValues(settings);
    }

    /** The key's value, or its default. */
    <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(key.name() + " has no default: use find"));
    }

    /** The key's value or default; empty when neither is there. */
    <T> Optional<T> find(ConfigKey<T> key) {
        if (!KEYS.contains(key)) {
            throw new IllegalStateException(key.name() + " is not listed in ConfigKeys.ALL");
        }
        Setting s = settings.get(key);
        @SuppressWarnings("unchecked") // put only by parse(key, ...), which returns the key's own type
        Optional<T> value = s == null ? key.defaultValue() : Optional.of((T) s.value());
        return value;
    }

    /** A source set this key (a default does not count). */
    boolean isSet(ConfigKey<?> key) {
        return settings.containsKey(key);
    }

    /** Any source set one of the keys under {@code prefix} ({@code storage.s3.}). */
    boolean anySetUnder(String prefix) {
        return settings.keySet().stream().anyMatch(k -> k.name().startsWith(prefix));
    }

    /** Fails naming {@code key} when it is not set although the keys under {@code prefix} that are need it. */
    void require(ConfigKey<?> key, String prefix) {
        if (!isSet(key)) {
            String given = settings.keySet().stream().filter(k -> k.name().startsWith(prefix))
                    .sorted(Comparator.comparing(ConfigKey::name)).map(this::describe)
                    .collect(Collectors.joining(", "));
            throw new ConfigLoader.ConfigException(key.name() + " (" + key.env() + ") must be set when other "
                    + prefix + "* keys are: " + given);
        }
    }

    /**
     * Builds a record from several keys; the record's own validation (a certificate without its key) becomes a
     * configuration error naming those keys and where each came from.
     */
    <R> R build(Supplier<R> record, ConfigKey<?>... involved) {
        try {
            return record.get();
        } catch (IllegalArgumentException e) {
            String keys = Arrays.stream(involved).map(this::describe).collect(Collectors.joining(", "));
            throw new ConfigLoader.ConfigException(keys + ": " + e.getMessage());
        }
    }

    /** {@code tls.cert (from flag --tls-cert)}, or {@code tls.key (not set)}. */
    String describe(ConfigKey<?> key) {
        Setting s = settings.get(key);
        return key.name() + " (" + (s == null ? key.defaultValue().isPresent() ? "default" : "not set"
                : "from " + s.origin()) + ")";
    }

    private static Setting parse(ConfigKey<?> key, String text, String origin) {
        try {
            return new Setting(key.type().parse(text), origin);
        } catch (IllegalArgumentException e) {
            String reason = key.type().secret() ? "not a valid value" : e.getMessage();
            throw new ConfigLoader.ConfigException(key.name() + " (from " + origin + "): " + reason + "; expected "
                    + key.type().form());
        }
    }

    private static void readFile(Path file, Map<ConfigKey<?>, Setting> settings) {
        JsonNode root;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = yaml.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigLoader.ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigLoader.ConfigException(file + ": the config file must be a mapping of keys to values");
        }
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        KEYS.stream().filter(ConfigKey::fileKey).forEach(k -> byName.put(k.name(), k));
        readSection(file, "", root, byName, settings);
    }

    private static void readSection(Path file, String prefix, JsonNode section, Map<String, ConfigKey<?>> byName,
                                    Map<ConfigKey<?>, Setting> settings) {
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            JsonNode node = field.getValue();
            ConfigKey<?> key = byName.get(name);
            boolean isSection = byName.keySet().stream().anyMatch(k -> k.startsWith(name + "."));
            String where = file + ": " + name;
            Optional<ConfigKey<?>> secret = KEYS.stream().filter(k -> !k.fileKey() && k.name().equals(name))
                    .findFirst();
            if (secret.isPresent()) {
                throw new ConfigLoader.ConfigException(where + " is a secret and read only from the environment ("
                        + secret.get().env() + "), never from a file that may be shared");
            }
            if (key != null) {
                if (node.isObject() || node.isArray()) {
                    throw new ConfigLoader.ConfigException(where + " takes a single value, not a "
                            + (node.isObject() ? "mapping" : "list") + "; expected " + key.type().form());
                }
                if (node.isNull()) {
                    throw new ConfigLoader.ConfigException(where + " has no value; remove the line to use the"
                            + " default (" + key.defaultText() + ")");
                }
                settings.put(key, parse(key, node.asText(), "config file " + file));
            } else if (isSection) {
                if (node.isObject()) {
                    readSection(file, name + ".", node, byName, settings);
                } else if (!node.isNull()) {
                    throw new ConfigLoader.ConfigException(where + " is a section (" + byName.keySet().stream()
                            .filter(k -> k.startsWith(name + ".")).collect(Collectors.joining(", "))
                            + "), not a value");
                }
            } else {
                throw new ConfigLoader.ConfigException(where + ": unknown key" + nearest(name, byName.keySet())
                        .map(n -> "; did you mean " + n + "?").orElse("; see docs/configuration.md"));
            }
        }
    }

    /** The known key closest to a mistyped one, when it is close enough to be the likely intent. */
    static Optional<String> nearest(String name, Iterable<String> known) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String wantedLeaf = leaf(wanted);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String candidate = k.toLowerCase(Locale.ROOT);
            // A right key in the wrong section (poolSize at the top) is as likely as a typo.
            int d = Math.min(distance(wanted, candidate), distance(wantedLeaf, leaf(candidate)) + 1);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, wanted.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String leaf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
