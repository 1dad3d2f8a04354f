package dev.portcullis.policy;

import dev.portcullis.policy.model.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The organisation's document and the teams' documents combined under floor semantics: the organisation's rules
 * bind every image; a team's rules are added for that team's images only; a team can add rules but never remove,
 * rename or weaken the organisation's. Every condition is compiled once here, so one instance judges any number of
 * subjects. Instances are immutable and safe to share between threads.
 */
public final class EffectivePolicy {

    private EffectivePolicy() {
    }

    /**
     * Combines documents.
     *
     * @throws PolicyException when {@code organisation} is not the organisation's, a team document is not a team's,
     *     two documents belong to one team, a team rule reuses an organisation rule's name, or a team document bounds
     *     exceptions
     */
    public static EffectivePolicy of(PolicyDocument organisation, List<PolicyDocument> teamDocuments) {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }

    /** The organisation's document. */
    public PolicyDocument organisation() {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }

    /** The team documents, in the order given. */
    public List<PolicyDocument> teams() {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }

    /** The organisation's bounds on exceptions ({@link ExceptionBounds#defaults()} when its document sets none). */
    public ExceptionBounds exceptionBounds() {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }

    /**
     * Judges one subject at {@code now}: every rule of the organisation and of the image's team over every item of
     * its kind. A rule whose condition fails to evaluate rejects with an evaluation-error reason. A finding covered
     * by an active exception does not reject; the verdict names the exception. An active break-glass for the
     * image's digest promotes, still listing the rejections it overrode. Pure: no clock, no I/O.
     */
    public Verdict evaluate(Subject subject, List<ExceptionGrant> exceptions, Optional<BreakGlass> breakGlass,
                            Instant now) {
        throw new UnsupportedOperationException("lands with the CEL evaluator");
    }
}
