package dev.portcullis.auth;

import dev.portcullis.oci.RepositoryName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One resource scope of Docker token authentication: {@code repository:NAME:ACTIONS} or the catalog
 * ({@code registry:catalog:*}, represented with the PULL action).
 *
 * @param type    {@code repository} or {@code registry}
 * @param name    repository name, or {@code catalog}
 * @param actions the actions asked for or granted
 */
public record Scope(String type, String name, Set<Action> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    private static final int MAX_SCOPES = 32;
    private static final int MAX_SCOPE_LENGTH = 512;

    public Scope {
        if (!type.equals(REPOSITORY) && !type.equals(REGISTRY)) {
            throw new AuthException(AuthException.Reason.INVALID, "scope type must be repository or registry, got '"
                    + type + "'");
        }
        if (name.isEmpty() || name.length() > 255) {
            throw new AuthException(AuthException.Reason.INVALID, "scope name must be 1-255 characters");
        }
        if (type.equals(REPOSITORY)) {
            // The registry's own grammar: a token never grants actions on a name no request could use.
            try {
                RepositoryName.of(name);
            } catch (RepositoryName.InvalidNameException e) {
                throw new AuthException(AuthException.Reason.INVALID, "scope " + type + ":" + name + ": "
                        + e.getMessage());
            }
        }
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    public static Scope repository(String name, Set<Action> actions) {
        return new Scope(REPOSITORY, name, actions);
    }

    public static Scope catalog() {
        return new Scope(REGISTRY, "catalog", Set.of(Action.PULL));
    }

    public boolean isCatalog() {
        return type.equals(REGISTRY);
    }

    /**
     * Parses the {@code scope} query parameters of a token request. A parameter may hold several scopes separated by
     * spaces (the OAuth2 form). Unknown actions are dropped, bounded in count and length.
     */
    public static List<Scope> parseAll(List<String> values) {
        List<Scope> out = new ArrayList<>();
        for (String value : values) {
            for (String one : value.trim().split("\\s+")) {
                if (one.isEmpty()) {
                    continue;
                }
                if (one.length() > MAX_SCOPE_LENGTH || out.size() >= MAX_SCOPES) {
                    throw new AuthException(AuthException.Reason.INVALID, "too many or too long scopes");
                }
                out.add(parse(one));
            }
        }
        return out;
    }

    public static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new AuthException(AuthException.Reason.INVALID, "scope '" + text
                    + "' must have the form repository:NAME:ACTIONS");
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        String actionText = text.substring(last + 1);
        if (type.equals(REGISTRY)) {
            if (!name.equals("catalog")) {
                throw new AuthException(AuthException.Reason.INVALID, "the only registry scope is registry:catalog:*");
            }
            return catalog();
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : actionText.split(",")) {
            Action.parse(a).ifPresent(actions::add);
        }
        return new Scope(type, name, actions);
    }

    @Override
    public String toString() {
        if (isCatalog()) {
            return "registry:catalog:*";
        }
        return type + ":" + name + ":" + actions.stream().sorted().map(Action::wire).collect(Collectors.joining(","));
    }
}
