package dev.portcullis.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy document, or a set of them, that cannot be used: every problem found, each with its place, so a
 * person fixes them all in one round. The message reads {@code source:line:column: message}, one per line.
 */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<Problem> problems;

    public PolicyException(String source, List<Problem> problems) {
        super(render(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a policy exception names at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The name of the document (file name, or {@code organisation} / {@code team:acme} when combined). */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(String source, List<Problem> problems) {
        return problems.stream()
                .map(p -> p.line() == 0 ? source + ": " + p.message()
                        : source + ":" + p.line() + ":" + p.column() + ": " + p.message())
                .collect(Collectors.joining("\n"));
    }
}
