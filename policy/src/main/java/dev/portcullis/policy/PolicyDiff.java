package dev.portcullis.policy;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.ImageFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A dry run: what a proposed policy would decide for stored scan results, compared with the verdicts they have.
 * Decisions are compared as the policy makes them ({@link Verdict#policyDecision()}), so a break-glass neither hides
 * nor causes a change.
 *
 * @param changes the images whose decision would change, by team (teams in name order, images in input order);
 *     teams without a change are absent
 * @param evaluated how many subjects were judged
 */
public record PolicyDiff(Map<String, List<Change>> changes, int evaluated) {
    public PolicyDiff {
        TreeMap<String, List<Change>> sorted = new TreeMap<>();
        changes.forEach((team, list) -> sorted.put(team, List.copyOf(list)));
        changes = Collections.unmodifiableSortedMap(sorted);
    }

    /** A stored scan result and the verdict it has now. */
    public record Judged(Subject subject, Verdict verdict) {
        public Judged {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /**
     * One image whose decision would change.
     *
     * @param tag the tag it was pushed under, null when pushed by digest
     * @param added rejections the proposed policy makes that the current verdict does not have
     * @param removed rejections of the current verdict the proposed policy no longer makes
     */
    public record Change(String repository, String tag, Digest digest, Decision before, Decision after,
                         List<Reason> added, List<Reason> removed) {
        public Change {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * Judges every stored subject under {@code proposed} with the given exceptions at {@code now} and reports the
     * changed decisions. Pure; the conditions are compiled once (in {@code proposed}), so 10,000 subjects take
     * seconds.
     */
    public static PolicyDiff dryRun(EffectivePolicy proposed, Iterable<Judged> stored,
                                    List<ExceptionGrant> exceptions, Instant now) {
        Map<String, List<Change>> changes = new TreeMap<>();
        int count = 0;
        for (Judged j : stored) {
            count++;
            Verdict after = proposed.evaluate(j.subject(), exceptions, Optional.empty(), now);
            Decision was = j.verdict().policyDecision();
            Decision becomes = after.policyDecision();
            if (was == becomes) {
                continue;
            }
            List<Reason> added = without(after.rejections(), j.verdict().rejections());
            List<Reason> removed = without(j.verdict().rejections(), after.rejections());
            ImageFacts image = j.subject().image();
            changes.computeIfAbsent(image.team(), t -> new ArrayList<>())
                    .add(new Change(image.repository(), image.tag(), image.digest(), was, becomes, added, removed));
        }
        return new PolicyDiff(changes, count);
    }

    /** The reasons of {@code from} that {@code other} does not give for the same rule and item. */
    private static List<Reason> without(List<Reason> from, List<Reason> other) {
        Set<List<Object>> keys = new HashSet<>();
        other.forEach(r -> keys.add(key(r)));
        return from.stream().filter(r -> !keys.contains(key(r))).toList();
    }

    private static List<Object> key(Reason r) {
        return List.of(r.owner(), r.rule(), r.item(), r.packagePurl(), r.detail(), r.isEvaluationError());
    }
}
