package dev.portcullis.policy.model;

import java.util.List;

/**
 * The parts of the image configuration a policy may look at. Environment variables are listed by name only: their
 * values may be secrets and never enter the policy model.
 *
 * @param user the configured user, empty when the image runs as the default (root)
 * @param exposedPorts ports as the config spells them, e.g. {@code 8080/tcp}
 */
public record ConfigFacts(String user, List<String> entrypoint, List<String> cmd, List<String> exposedPorts,
                          List<String> envNames) {
    public ConfigFacts {
        user = user == null ? "" : user;
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        exposedPorts = List.copyOf(exposedPorts);
        envNames = List.copyOf(envNames);
    }

    /** A configuration with nothing set. */
    public static ConfigFacts empty() {
        return new ConfigFacts("", List.of(), List.of(), List.of(), List.of());
    }
}
