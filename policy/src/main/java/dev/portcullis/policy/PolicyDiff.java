package dev.portcullis.policy;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.model.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dry run: what a proposed policy would decide for stored scan results, compared with the verdicts they have.
 * Decisions are compared as the policy makes them ({@link Verdict#policyDecision()}), so a break-glass neither hides
 * nor causes a change.
 *
 * @param changes the images whose decision would change, by team (teams in name order, images in input order)
 * @param evaluated how many subjects were judged
 */
public record PolicyDiff(Map<String, List<Change>> changes, int evaluated) {
    public PolicyDiff {
        changes = Map.copyOf(changes);
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
     * @param added rejections the proposed policy makes that the current verdict does not have
     * @param removed rejections of the current verdict the proposed policy no longer makes
     */
    public record Change(String repository, String tag, Digest digest, Decision before, Decision after,
                         List<Reason> added, List<Reason> removed) {
        public Change {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * Judges every stored subject under {@code proposed} with the given exceptions at {@code now} and reports the
     * changed decisions. Pure; the conditions are compiled once (in {@code proposed}), so 10,000 subjects take
     * seconds.
     */
    public static PolicyDiff dryRun(EffectivePolicy proposed, List<Judged> stored, List<ExceptionGrant> exceptions,
                                    Instant now) {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }
}
