package dev.portcullis.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The judgement of one image, with everything it was made with and every reason.
 *
 * @param decision {@link Decision#REJECT} exactly when there is a rejection and no active break-glass
 * @param rejections the reject rules that held (and rules that failed to evaluate), in document order
 * @param warnings the warn rules that held
 * @param exceptionsUsed the rejections that exceptions covered (not in {@code rejections})
 * @param breakGlass the override that promoted despite rejections, null when none was active
 * @param policyVersions the version of each document applied, by {@link Owner#key()}
 * @param evaluatedAt the {@code now} of the evaluation
 */
public record Verdict(Decision decision, List<Reason> rejections, List<Reason> warnings,
                      List<ExceptionUse> exceptionsUsed, BreakGlass breakGlass, Map<String, Integer> policyVersions,
                      Instant evaluatedAt) {
    public Verdict {
        Objects.requireNonNull(decision, "decision");
        rejections = List.copyOf(rejections);
        warnings = List.copyOf(warnings);
        exceptionsUsed = List.copyOf(exceptionsUsed);
        policyVersions = Map.copyOf(policyVersions);
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        Decision expected = rejections.isEmpty() || breakGlass != null ? Decision.PROMOTE : Decision.REJECT;
        if (decision != expected) {
            throw new IllegalArgumentException("a verdict with " + rejections.size() + " rejection(s) and "
                    + (breakGlass == null ? "no" : "a") + " break-glass is " + expected + ", not " + decision);
        }
    }

    /** What the policy alone decided, ignoring break-glass (for comparing verdicts across policies). */
    public Decision policyDecision() {
        return rejections.isEmpty() ? Decision.PROMOTE : Decision.REJECT;
    }
}
