package dev.portcullis.auth.audit;

import com.nimbusds.jose.jwk.ECKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an audit log (live or exported) and names each entry that was edited, removed, reordered or inserted.
 * <p>
 * The chain, not the sequence numbers, defines the true order: it is rebuilt by following each entry's
 * {@code prevHash} from the genesis value. Then: an entry whose content no longer matches its hash was edited; a
 * chain that cannot continue from an entry means the next entry is gone (a gap in sequence numbers) or the entry's
 * hash was recomputed after an edit (no gap); an entry that branches off the chain without continuing it was
 * inserted; and where the chain visits sequence numbers out of order, those entries were reordered. Signed
 * checkpoints catch truncation and wholesale rewriting of what they anchor. They are written at known points (at
 * most {@code every} entries apart, each naming its predecessor), so a deleted checkpoint is caught: by its
 * successor, or, for the latest, by a tail longer than the interval allows. A signed head kept outside the database
 * catches deleting the latest checkpoint and truncating or rewriting anything up to the head. What comes after the
 * latest checkpoint is reported as not yet anchored: nothing can prove it genuine or complete.
 */
public final class AuditVerifier {
    /**
     * How far before a checkpoint's time an entry after it may claim to be (clock differences between nodes). An
     * entry further back was written after the checkpoint with a false time.
     */
    static final java.time.Duration CLOCK_TOLERANCE = java.time.Duration.ofMinutes(5);

    private AuditVerifier() {
    }

    /** What kind of tampering. */
    public enum Kind { EDITED, REMOVED, REORDERED, INSERTED, CHECKPOINT }

    /** One finding, about the entry with sequence number {@code seq}. */
    public record Problem(Kind kind, long seq, String message) {
    }

    /**
     * The verdict: intact when {@code problems} is empty. Entries after {@code anchoredThrough} up to
     * {@code lastSeq} are not covered by any checkpoint yet.
     */
    public record Report(int entries, int checkpoints, boolean signaturesChecked, List<Problem> problems,
                         long anchoredThrough, long lastSeq) {
        public boolean intact() {
            return problems.isEmpty();
        }

        public long unanchored() {
            return lastSeq - anchoredThrough;
        }
    }

    /** Verifies with the default checkpoint interval and no head kept outside. */
    public static Report verify(List<AuditEntry> stored, List<Checkpoint> checkpoints, Optional<ECKey> key) {
        return verify(stored, checkpoints, key, Optional.empty(), AuditLog.CHECKPOINT_EVERY);
    }

    /**
     * @param head  the signed head a third party kept, if any
     * @param every the checkpoint interval the verifier assumes where no checkpoint states one (an empty or
     *              checkpoint-less log); each checkpoint's own signed interval governs the entries after it
     */
    public static Report verify(List<AuditEntry> stored, List<Checkpoint> checkpoints, Optional<ECKey> key,
                                Optional<Checkpoint> head, int every) {
        List<AuditEntry> entries = new ArrayList<>(stored);
        entries.sort(Comparator.comparingLong(AuditEntry::seq));
        Set<Problem> problems = new LinkedHashSet<>();

        for (AuditEntry e : entries) {
            if (!e.computedHash().equals(e.hash())) {
                problems.add(new Problem(Kind.EDITED, e.seq(), "entry " + e.seq()
                        + " was edited: its content no longer matches its hash"));
            }
        }

        Map<String, List<Integer>> successors = new HashMap<>();
        Map<String, Integer> byHash = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            successors.computeIfAbsent(entries.get(i).prevHash(), k -> new ArrayList<>()).add(i);
            byHash.putIfAbsent(entries.get(i).hash(), i);
        }
        Set<Integer> visited = new HashSet<>();
        List<List<Integer>> segments = new ArrayList<>();
        if (successors.containsKey(AuditEntry.GENESIS)) {
            segments.add(walk(pick(successors.get(AuditEntry.GENESIS), visited, successors, entries), entries,
                    successors, visited));
        }
        for (int i = 0; i < entries.size(); i++) {
            if (visited.contains(i)) {
                continue;
            }
            AuditEntry e = entries.get(i);
            Integer parent = byHash.get(e.prevHash());
            if (parent != null && visited.contains(parent)) {
                problems.add(new Problem(Kind.INSERTED, e.seq(), "entry " + e.seq() + " was inserted: it claims to"
                        + " follow entry " + entries.get(parent).seq() + ", which the chain continues elsewhere"));
                visited.add(i);
                continue;
            }
            if (i == 0 && e.prevHash().equals(AuditEntry.GENESIS)) {
                segments.add(walk(i, entries, successors, visited));
                continue;
            }
            long before = i == 0 ? 0 : entries.get(i - 1).seq();
            // A gap in sequence numbers is reported below as a removal; without one, the predecessor was rewritten.
            if (e.seq() == before + 1 && i > 0) {
                problems.add(new Problem(Kind.EDITED, before, "entry " + before + " was edited and its hash"
                        + " recomputed: entry " + e.seq() + " still chains to the original"));
            }
            segments.add(walk(i, entries, successors, visited));
        }

        for (List<Integer> segment : segments) {
            List<Long> seqs = segment.stream().map(i -> entries.get(i).seq()).toList();
            Set<Integer> inOrder = longestIncreasing(seqs);
            for (int k = 0; k < seqs.size(); k++) {
                if (!inOrder.contains(k)) {
                    problems.add(new Problem(Kind.REORDERED, seqs.get(k), "entry " + seqs.get(k)
                            + " is out of order: the chain puts it " + between(seqs, k)));
                }
            }
        }
        long expected = 1;
        for (AuditEntry e : entries) {
            if (e.seq() > expected) {
                problems.add(new Problem(Kind.REMOVED, expected, removed(expected, e.seq() - 1)));
            }
            expected = e.seq() + 1;
        }

        long lastSeq = entries.isEmpty() ? 0 : entries.getLast().seq();
        Map<Long, AuditEntry> bySeq = new HashMap<>();
        entries.forEach(e -> bySeq.put(e.seq(), e));
        List<Checkpoint> genuine = new ArrayList<>();
        for (Checkpoint cp : checkpoints) {
            if (key.isPresent() && !CheckpointKey.verify(key.get(), cp.signature(), cp.payload())) {
                problems.add(new Problem(Kind.CHECKPOINT, cp.seq(), "the checkpoint at entry " + cp.seq()
                        + " has an invalid signature: it was forged or altered"));
                continue;
            }
            genuine.add(cp);
            checkAnchor(cp, bySeq, lastSeq, "a checkpoint", problems);
        }
        genuine.sort(Comparator.comparingLong(Checkpoint::seq));
        long anchoredThrough = checkSchedule(genuine, entries, lastSeq, every, problems);

        if (head.isPresent()) {
            Checkpoint h = head.get();
            if (key.isPresent() && !CheckpointKey.verify(key.get(), h.signature(), h.payload())) {
                problems.add(new Problem(Kind.CHECKPOINT, h.seq(), "the head given (entry " + h.seq() + ") is not"
                        + " signed by this log's checkpoint key"));
            } else {
                checkAnchor(h, bySeq, lastSeq, "the head kept outside the database", problems);
                if (genuine.stream().noneMatch(cp -> cp.seq() == h.seq())) {
                    problems.add(new Problem(Kind.CHECKPOINT, h.seq(), "the checkpoint at entry " + h.seq()
                            + " was deleted: the head kept outside the database is that checkpoint"));
                }
                anchoredThrough = Math.max(anchoredThrough, Math.min(h.seq(), lastSeq));
            }
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong(Problem::seq).thenComparing(Problem::kind));
        return new Report(entries.size(), checkpoints.size(), key.isPresent(), List.copyOf(sorted),
                Math.min(anchoredThrough, lastSeq), lastSeq);
    }

    /** The entry an anchor (checkpoint or head) names must be there, with the hash the anchor signed. */
    private static void checkAnchor(Checkpoint cp, Map<Long, AuditEntry> bySeq, long lastSeq, String what,
                                    Set<Problem> problems) {
        AuditEntry anchored = bySeq.get(cp.seq());
        if (anchored == null) {
            problems.add(new Problem(Kind.REMOVED, cp.seq(), cp.seq() > lastSeq
                    ? removed(lastSeq + 1, cp.seq()) + " (the log was truncated; " + what + " covered entry "
                    + cp.seq() + ")"
                    : "entry " + cp.seq() + " was removed (" + what + " covered it)"));
        } else if (!anchored.hash().equals(cp.entryHash())) {
            problems.add(new Problem(Kind.EDITED, cp.seq(), "entry " + cp.seq() + " does not match " + what
                    + ": the chain up to it was rewritten"));
        }
    }

    /**
     * Checks that the checkpoints the writer must have made are all there: each names its predecessor, none is
     * further than the interval from it, and the tail after the last is shorter than the interval. Entries after a
     * checkpoint that claim a time well before it was signed were slipped in later. Returns the last entry a
     * checkpoint anchors.
     */
    private static long checkSchedule(List<Checkpoint> genuine, List<AuditEntry> entries, long lastSeq, int every,
                                      Set<Problem> problems) {
        Set<Long> present = new HashSet<>();
        genuine.forEach(cp -> present.add(cp.seq()));
        Checkpoint before = null;
        for (Checkpoint cp : genuine) {
            if (!cp.legacy()) {
                if (cp.previous() > 0 && !present.contains(cp.previous())) {
                    problems.add(new Problem(Kind.CHECKPOINT, cp.previous(), "the checkpoint at entry "
                            + cp.previous() + " was deleted: the checkpoint at entry " + cp.seq()
                            + " names it as its predecessor"));
                }
                int allowed = Math.max(cp.every(), before == null ? 0 : interval(before));
                long since = before == null ? cp.previous() : Math.max(before.seq(), cp.previous());
                if (cp.seq() - since > allowed) {
                    problems.add(new Problem(Kind.CHECKPOINT, since + allowed, "no checkpoint anchors entries "
                            + (since + 1) + " to " + cp.seq() + ", although one was due at entry " + (since
                            + allowed) + ": it was deleted"));
                }
            }
            before = cp;
        }
        long anchored = before == null ? 0 : before.seq();
        int allowed = Math.max(every, before == null ? 0 : interval(before));
        if (lastSeq - anchored >= allowed) {
            problems.add(new Problem(Kind.CHECKPOINT, anchored + allowed, (before == null
                    ? "no checkpoint anchors the log" : "no checkpoint follows the one at entry " + anchored)
                    + ", although one was due at entry " + (anchored + allowed) + " (every " + allowed
                    + " entries): it was deleted"));
        }
        int next = 0;
        Checkpoint latestBefore = null;
        for (AuditEntry e : entries) {
            while (next < genuine.size() && genuine.get(next).seq() < e.seq()) {
                latestBefore = genuine.get(next++);
            }
            if (latestBefore != null && e.at().plus(CLOCK_TOLERANCE).isBefore(latestBefore.at())) {
                problems.add(new Problem(Kind.INSERTED, e.seq(), "entry " + e.seq() + " comes after the checkpoint"
                        + " at entry " + latestBefore.seq() + " but claims a time (" + e.at() + ") before that"
                        + " checkpoint was signed (" + latestBefore.at() + "): it was added later"));
            }
        }
        return anchored;
    }

    /** The entry interval a checkpoint promised; checkpoints of the first format came every 64 entries. */
    private static int interval(Checkpoint cp) {
        return cp.legacy() ? AuditLog.CHECKPOINT_EVERY : cp.every();
    }

    private static String between(List<Long> seqs, int k) {
        if (k == 0) {
            return "before entry " + seqs.get(1);
        }
        if (k == seqs.size() - 1) {
            return "after entry " + seqs.get(k - 1);
        }
        return "between entries " + seqs.get(k - 1) + " and " + seqs.get(k + 1);
    }

    /** Positions of one longest increasing subsequence: the entries that kept their order. */
    private static Set<Integer> longestIncreasing(List<Long> seqs) {
        int n = seqs.size();
        int[] tails = new int[n];
        int[] previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (seqs.get(tails[mid]) < seqs.get(i)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            previous[i] = lo > 0 ? tails[lo - 1] : -1;
            tails[lo] = i;
            length = Math.max(length, lo + 1);
        }
        Set<Integer> kept = new HashSet<>();
        for (int i = length == 0 ? -1 : tails[length - 1]; i >= 0; i = previous[i]) {
            kept.add(i);
        }
        return kept;
    }

    private static String removed(long from, long to) {
        return from == to ? "entry " + from + " was removed" : "entries " + from + " to " + to + " were removed";
    }

    /** Follows the chain from {@code start}; at a fork, the branch that continues wins over a dead end. */
    private static List<Integer> walk(int start, List<AuditEntry> entries, Map<String, List<Integer>> successors,
                                      Set<Integer> visited) {
        List<Integer> order = new ArrayList<>();
        Integer cur = start;
        while (cur != null && visited.add(cur)) {
            order.add(cur);
            List<Integer> next = successors.getOrDefault(entries.get(cur).hash(), List.of());
            cur = next.isEmpty() ? null : pick(next, visited, successors, entries);
        }
        return order;
    }

    private static Integer pick(List<Integer> candidates, Set<Integer> visited, Map<String, List<Integer>> successors,
                                List<AuditEntry> entries) {
        Integer best = null;
        for (int c : candidates) {
            if (visited.contains(c)) {
                continue;
            }
            boolean continues = successors.containsKey(entries.get(c).hash());
            if (best == null || (continues && !successors.containsKey(entries.get(best).hash()))) {
                best = c;
            }
        }
        return best;
    }
}
