package dev.portcullis.auth;

import dev.portcullis.oci.Namespace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization rules of the registry, in one place:
 * <ul>
 *   <li>{@code scanned/<team>/…}: pulled by the team's members (reader and up), security and admin, and by
 *       anyone when the repository matches the anonymous-pull setting; never pushed or deleted through the API
 *       (only the gate promotes).</li>
 *   <li>{@code unscanned/<team>/…}: pulled and pushed by the team's developers and maintainers, deleted by its
 *       maintainers; pulled by security (not admin: quarantined images are unvetted).</li>
 *   <li>any other name: pulled by security and admin, written by nobody.</li>
 *   <li>the catalog: admin, security and auditor.</li>
 * </ul>
 * Robots additionally stay within their repository patterns and never manage identities. Development mode allows
 * everything except writes outside unscanned/: the names behave as in production.
 */
public final class AccessPolicy {
    private final Settings settings;

    public AccessPolicy(Settings settings) {
        this.settings = settings;
    }

    public boolean allowed(Principal p, String repository, Action action) {
        Namespace ns = Namespace.of(repository);
        // Clients write only unscanned/ (Namespace.writeRefusal): whoever asks, development mode included.
        if (ns.kind() != Namespace.Kind.UNSCANNED && action != Action.PULL) {
            return false;
        }
        if (p.kind() == Principal.Kind.DEV) {
            return true;
        }
        if (action == Action.PULL && ns.kind() == Namespace.Kind.SCANNED && settings.anonymousPull(repository)) {
            return true;
        }
        if (p.kind() == Principal.Kind.ROBOT && !p.repositories().isEmpty()
                && p.repositories().stream().noneMatch(g -> new RepositoryPattern(g).matches(repository))) {
            return false;
        }
        boolean global = p.has(Role.ADMIN) || p.has(Role.SECURITY);
        Optional<String> team = ns.team();
        return switch (action) {
            // Quarantined images are unvetted: only their team's developers and maintainers and the security role
            // pull them (the gate reads the store directly), not an admin who merely manages users.
            case PULL -> switch (ns.kind()) {
                case SCANNED -> global || p.has(team.orElseThrow(), Role.READER);
                case UNSCANNED -> p.has(Role.SECURITY) || p.has(team.orElseThrow(), Role.DEVELOPER);
                case OTHER -> global;
            };
            case PUSH -> ns.kind() == Namespace.Kind.UNSCANNED && p.has(team.orElseThrow(), Role.DEVELOPER);
            case DELETE -> ns.kind() == Namespace.Kind.UNSCANNED && p.has(team.orElseThrow(), Role.MAINTAINER);
        };
    }

    public boolean catalog(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN) || p.has(Role.SECURITY) || p.has(Role.AUDITOR);
    }

    /** Grants each requested scope only the actions the principal holds: the token never carries more. */
    public List<Scope> grant(Principal p, List<Scope> requested) {
        List<Scope> granted = new ArrayList<>();
        for (Scope s : requested) {
            if (s.isCatalog()) {
                if (catalog(p)) {
                    granted.add(s);
                }
                continue;
            }
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (Action a : s.actions()) {
                if (allowed(p, s.name(), a)) {
                    actions.add(a);
                }
            }
            if (!actions.isEmpty()) {
                granted.add(Scope.repository(s.name(), actions));
            }
        }
        return granted;
    }

    /**
     * Management: may {@code p} manage the members and robots of {@code team}? Only people do: a robot is a
     * credential that sits in a CI system, and one that could create users, robots or grants could turn a leaked
     * (or repository-limited) secret into unlimited, lasting access. So no robot manages identities, whatever its
     * role, and no repository-limited credential ever does.
     */
    public boolean managesTeam(Principal p, String team) {
        if (p.kind() == Principal.Kind.ROBOT || !p.repositories().isEmpty()) {
            return false;
        }
        return p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN) || p.has(team, Role.MAINTAINER);
    }

    /** Management: may {@code p} read users, teams, robots and settings? */
    public boolean seesDirectory(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN) || p.has(Role.SECURITY) || p.has(Role.AUDITOR);
    }

    public boolean administers(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN);
    }

    public boolean readsAudit(Principal p) {
        return p.kind() == Principal.Kind.DEV || p.has(Role.ADMIN) || p.has(Role.SECURITY) || p.has(Role.AUDITOR);
    }
}
