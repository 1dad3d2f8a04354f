package dev.portcullis.gate;

import dev.portcullis.policy.EffectivePolicy;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy documents in force: the newest stored version of each, the shipped default organisation policy as
 * version 1 while none is stored. The combined {@link EffectivePolicy} is compiled once per set of versions (another
 * node's change is seen at the next job: the versions are read from the database each time).
 */
final class Policies {
    private final GateStore store;
    private final PolicyDocument defaultOrganisation;
    private final Map<String, EffectivePolicy> compiled = new ConcurrentHashMap<>();

    Policies(GateStore store, Duration maxDatabaseAge) {
        this.store = store;
        this.defaultOrganisation = PolicyDocuments.defaultOrganisation(maxDatabaseAge);
    }

    /** The current document of {@code owner}: for the organisation the default when none is stored. */
    Optional<PolicyVersion> current(Owner owner) {
        Optional<GateStore.StoredPolicy> stored = store.currentPolicy(owner);
        if (stored.isPresent()) {
            return stored.map(Policies::version);
        }
        return owner.isOrganisation() ? Optional.of(shippedDefault()) : Optional.empty();
    }

    /** Every version of {@code owner}'s document, newest first; the organisation's ends with the shipped default. */
    List<PolicyVersion> history(Owner owner) {
        List<PolicyVersion> out = new ArrayList<>(store.policyHistory(owner).stream().map(Policies::version).toList());
        if (owner.isOrganisation() && out.stream().noneMatch(v -> v.document().version() == 1)) {
            out.add(shippedDefault());
        }
        return out;
    }

    Optional<PolicyVersion> version(Owner owner, int version) {
        Optional<PolicyVersion> stored = store.policyVersion(owner, version).map(Policies::version);
        if (stored.isEmpty() && owner.isOrganisation() && version == 1) {
            return Optional.of(shippedDefault());
        }
        return stored;
    }

    private PolicyVersion shippedDefault() {
        return new PolicyVersion(defaultOrganisation, "portcullis (default)", Instant.EPOCH, Optional.empty());
    }

    private static PolicyVersion version(GateStore.StoredPolicy s) {
        return new PolicyVersion(s.document(), s.author(), s.createdAt(), Optional.ofNullable(s.previousVersion()));
    }

    PolicyDocument organisation() {
        return current(Owner.organisation()).orElseThrow().document();
    }

    List<PolicyDocument> teams() {
        List<PolicyDocument> out = new ArrayList<>();
        for (Owner o : store.teamOwners()) {
            current(o).ifPresent(v -> out.add(v.document()));
        }
        return out;
    }

    /** The policy in force now. */
    EffectivePolicy effective() {
        return effective(organisation(), teams());
    }

    /** The policy with {@code proposed} in place of its owner's current document (for dry runs and validation). */
    EffectivePolicy with(PolicyDocument proposed) {
        if (proposed.owner().isOrganisation()) {
            return EffectivePolicy.of(proposed, teams());
        }
        List<PolicyDocument> teams = new ArrayList<>(teams().stream()
                .filter(d -> !d.owner().equals(proposed.owner())).toList());
        teams.add(proposed);
        return EffectivePolicy.of(organisation(), teams);
    }

    private EffectivePolicy effective(PolicyDocument organisation, List<PolicyDocument> teams) {
        StringBuilder key = new StringBuilder(organisation.owner().key() + "=" + organisation.version());
        teams.forEach(t -> key.append(',').append(t.owner().key()).append('=').append(t.version()));
        return compiled.computeIfAbsent(key.toString(), k -> EffectivePolicy.of(organisation, teams));
    }

    /** The versions judging an image of {@code team}: e.g. {@code organisation=2,team:acme=1}. */
    static String versions(EffectivePolicy policy, String team) {
        StringBuilder out = new StringBuilder(Owner.ORGANISATION + "=" + policy.organisation().version());
        for (PolicyDocument d : policy.teams()) {
            if (team.equals(d.owner().team())) {
                out.append(',').append(d.owner().key()).append('=').append(d.version());
            }
        }
        return out.toString();
    }
}
