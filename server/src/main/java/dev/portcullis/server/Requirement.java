package dev.portcullis.server;

import dev.portcullis.auth.Action;
import dev.portcullis.oci.Namespace;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.Registry;
import dev.portcullis.registry.RegistryException;
import java.util.List;
import java.util.Set;

/**
 * What a route needs from the caller, derived from its method and template in {@link #of}: the one table of
 * access requirements, next to the route tables themselves. Only the routes listed as public are public; a route
 * added anywhere else outside {@code /v2/} needs an authenticated user or robot and must check roles itself.
 */
sealed interface Requirement {
    /** Health, metrics, the token endpoint and public keys. */
    record Public() implements Requirement {
    }

    /** Any authenticated caller (the {@code /v2/} base check, an anonymous token counts). */
    record Authenticated() implements Requirement {
    }

    /** The management API and any other non-registry route: a user or robot; the endpoint checks roles itself. */
    record Management() implements Requirement {
    }

    record Catalog() implements Requirement {
    }

    /** Actions on repositories (a mount also needs pull on its source). */
    record Repository(List<Access> accesses) implements Requirement {
        /**
         * The name rule, the same for every caller in every mode: a write (push or delete) needs a valid name
         * ({@code NAME_INVALID} otherwise) inside {@code unscanned/<team>/}; any other name is {@code DENIED} whoever
         * asks, with {@link Namespace#writeRefusal}'s reason.
         */
        void refuseForbiddenWrites() {
            for (Access access : accesses) {
                if (access.actions().stream().anyMatch(a -> a != Action.PULL)) {
                    Registry.name(access.name());
                    Namespace.writeRefusal(access.name()).ifPresent(why -> {
                        throw new RegistryException(ErrorCode.DENIED, why);
                    });
                }
            }
        }
    }

    /** One repository and the actions needed on it. */
    record Access(String name, Set<Action> actions) {
    }

    /** Probes, metrics, the token endpoint, the public keys and the API's description: everything else needs a principal. */
    java.util.Set<String> PUBLIC = java.util.Set.of("/healthz", "/readyz", "/metrics", "/token",
            "/.well-known/jwks.json", "/.well-known/portcullis-audit-key.json", "/api/v1/openapi.json");

    static Requirement of(Route route, Exchange ex) {
        String t = route.template();
        String m = route.method();
        if (PUBLIC.contains(t)) {
            return new Public();
        }
        if (t.equals("/v2/")) {
            return new Authenticated();
        }
        if (t.equals("/v2/_catalog")) {
            return new Catalog();
        }
        if (!t.startsWith("/v2/")) {
            return new Management();
        }
        String name = ex.path("name");
        if (t.contains("/blobs/uploads/")) {
            Access push = new Access(name, Set.of(Action.PUSH));
            if (m.equals("POST") && ex.query("mount").isPresent() && ex.query("from").isPresent()) {
                return new Repository(List.of(push, new Access(ex.query("from").get(), Set.of(Action.PULL))));
            }
            return new Repository(List.of(push));
        }
        return switch (m) {
            case "GET", "HEAD" -> new Repository(List.of(new Access(name, Set.of(Action.PULL))));
            case "PUT" -> new Repository(List.of(new Access(name, Set.of(Action.PUSH))));
            case "DELETE" -> new Repository(List.of(new Access(name, Set.of(Action.DELETE))));
            default -> new Repository(List.of(new Access(name, Set.of(Action.PUSH, Action.DELETE))));
        };
    }
}
