package dev.portcullis.server;

import java.util.Optional;

/**
 * One configuration setting, declared once in {@link ConfigKeys}: everything that reads, documents or offers it as a
 * flag takes it from here.
 *
 * @param name         dotted path in the YAML file ({@code storage.postgres.poolSize})
 * @param env          environment variable ({@code PORTCULLIS_DB_POOL_SIZE})
 * @param flag         {@code serve} flag, for the few settings one changes per run
 * @param type         unit, range and form of the value
 * @param defaultValue value when no source sets it; empty when "not set" has its own meaning ({@code whenUnset})
 * @param whenUnset    what happens when no source sets it and there is no default, for the reference
 * @param description  what it does, for the reference and the flag help
 * @param <T>          the value's type
 */
public record ConfigKey<T>(String name, String env, Optional<String> flag, ConfigType<T> type,
                           Optional<T> defaultValue, String whenUnset, String description) {
    public ConfigKey {
        if (!name.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*")) {
            throw new IllegalArgumentException("configuration key name " + name + " is not a dotted lowerCamel path");
        }
        if (!env.matches("PORTCULLIS_[A-Z0-9_]+")) {
            throw new IllegalArgumentException(name + ": environment variable " + env + " must be PORTCULLIS_*");
        }
        if (flag.isPresent() && !flag.get().matches("--[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(name + ": flag " + flag.get() + " must be --lower-case");
        }
        if (flag.isPresent() && type.secret()) {
            throw new IllegalArgumentException(name + ": a secret is not given as a flag (it would show in ps)");
        }
        if (defaultValue.isEmpty() == whenUnset.isEmpty()) {
            throw new IllegalArgumentException(name + ": give either a default or what happens when unset");
        }
        // The default passes the key's own validation, so a range and its default cannot drift apart.
        defaultValue.ifPresent(d -> {
            if (!type.parse(type.print(d)).equals(d)) {
                throw new IllegalArgumentException(name + ": default " + d + " does not read back as itself");
            }
        });
    }

    /** A key with a default. */
    public static <T> ConfigKey<T> of(String name, String env, ConfigType<T> type, T defaultValue,
                                      String description) {
        return new ConfigKey<>(name, env, Optional.empty(), type, Optional.of(defaultValue), "", description);
    }

    /** A key without a default: {@code whenUnset} says what being unset means. */
    public static <T> ConfigKey<T> optional(String name, String env, ConfigType<T> type, String whenUnset,
                                            String description) {
        return new ConfigKey<>(name, env, Optional.empty(), type, Optional.empty(), whenUnset, description);
    }

    /** This key, also given as the {@code serve} flag {@code f}. */
    public ConfigKey<T> withFlag(String f) {
        return new ConfigKey<>(name, env, Optional.of(f), type, defaultValue, whenUnset, description);
    }

    /**
     * A secret is read only from the environment: a configuration file is shared and copied around, and a flag shows
     * in the process list.
     */
    public boolean fileKey() {
        return !type.secret();
    }

    /** The default as configuration writes it, or what being unset means. */
    public String defaultText() {
        return defaultValue.map(type::print).orElse(whenUnset);
    }
}
