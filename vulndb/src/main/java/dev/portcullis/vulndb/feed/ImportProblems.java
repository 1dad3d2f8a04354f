package dev.portcullis.vulndb.feed;

import java.util.ArrayList;
import java.util.List;

/** Malformed records and skipped documents of one import, each with where and why; shown, never dropped. */
public final class ImportProblems {
    /** One problem: a location (file, or file#record) and the reason. */
    public record Problem(String location, String reason) {
    }

    private final List<Problem> malformed = new ArrayList<>();
    private final List<Problem> skipped = new ArrayList<>();

    public void malformed(String location, String reason) {
        malformed.add(new Problem(location, reason));
    }

    public void skipped(String location, String reason) {
        skipped.add(new Problem(location, reason));
    }

    public List<Problem> malformed() {
        return List.copyOf(malformed);
    }

    public List<Problem> skipped() {
        return List.copyOf(skipped);
    }
}
