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
 * checkpoints catch truncation of the tail and wholesale rewriting.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /** What kind of tampering. */
    public enum Kind { EDITED, REMOVED, REORDERED, INSERTED, CHECKPOINT }

    /** One finding, about the entry with sequence number {@code seq}. */
    public record Problem(Kind kind, long seq, String message) {
    }

    /** The verdict: intact when {@code problems} is empty. */
    public record Report(int entries, int checkpoints, boolean signaturesChecked, List<Problem> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    public static Report verify(List<AuditEntry> stored, List<Checkpoint> checkpoints, Optional<ECKey> key) {
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
        for (Checkpoint cp : checkpoints) {
            if (key.isPresent() && !CheckpointKey.verify(key.get(), cp.signature(), cp.payload())) {
                problems.add(new Problem(Kind.CHECKPOINT, cp.seq(), "the checkpoint at entry " + cp.seq()
                        + " has an invalid signature: it was forged or altered"));
                continue;
            }
            AuditEntry anchored = bySeq.get(cp.seq());
            if (anchored == null) {
                problems.add(new Problem(Kind.REMOVED, cp.seq(), cp.seq() > lastSeq
                        ? removed(lastSeq + 1, cp.seq()) + " (the log was truncated; a checkpoint covered entry "
                        + cp.seq() + ")"
                        : "entry " + cp.seq() + " was removed (a checkpoint covered it)"));
            } else if (!anchored.hash().equals(cp.entryHash())) {
                problems.add(new Problem(Kind.EDITED, cp.seq(), "entry " + cp.seq() + " does not match its signed"
                        + " checkpoint: the chain up to it was rewritten"));
            }
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong(Problem::seq).thenComparing(Problem::kind));
        return new Report(entries.size(), checkpoints.size(), key.isPresent(), List.copyOf(sorted));
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
