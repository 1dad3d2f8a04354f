package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.PackageKey;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import dev.portcullis.vulndb.version.InvalidVersionException;
import dev.portcullis.vulndb.version.VersionScheme;
import dev.portcullis.vulndb.version.VersionSchemes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches installed packages against advisories, with the version scheme of each ecosystem. Every package either
 * matches, does not match, or yields an {@link Finding.Kind#UNEVALUABLE} finding saying why it could not be
 * decided: nothing is skipped silently.
 */
public final class Matcher {
    private final AdvisoryLookup lookup;
    private final VersionSchemes schemes;

    public Matcher(AdvisoryLookup lookup, VersionSchemes schemes) {
        this.lookup = lookup;
        this.schemes = schemes;
    }

    /** Matches an inventory; advisories for all its packages are fetched in one go. */
    public List<Finding> match(List<InstalledPackage> packages) {
        Map<InstalledPackage, Target> targets = new HashMap<>();
        Map<InstalledPackage, Target.NoTarget> noTarget = new HashMap<>(); // why a package has none
        Set<PackageKey> keys = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (InstalledPackage p : packages) {
            try {
                Target t = Target.of(p);
                targets.put(p, t);
                t.ecosystems().forEach(e -> keys.add(new PackageKey(e, t.name())));
            } catch (Target.NoTarget e) {
                noTarget.put(p, e); // reported in order below
            }
        }
        Map<PackageKey, List<Advisory>> advisories = lookup.advisories(keys);
        for (InstalledPackage p : packages) {
            Target t = targets.get(p);
            if (t == null) {
                out.add(unevaluable(p, null, noTarget.get(p).reason(), noTarget.get(p).getMessage()));
                continue;
            }
            out.addAll(match(p, t, advisories));
        }
        return out;
    }

    public List<Finding> match(InstalledPackage p) {
        return match(List.of(p));
    }

    private List<Finding> match(InstalledPackage p, Target target, Map<PackageKey, List<Advisory>> advisories) {
        if (target.ecosystems().stream().noneMatch(lookup::covers)) {
            return List.of(unevaluable(p, null, Finding.Unevaluable.NO_ADVISORY_DATA, "no advisory data imported for "
                    + String.join(" or ",
                    target.ecosystems())));
        }
        List<Finding> out = new ArrayList<>();
        for (String ecosystem : target.ecosystems()) {
            List<Advisory> candidates = advisories.getOrDefault(new PackageKey(ecosystem, target.name()), List.of());
            if (candidates.isEmpty()) {
                continue;
            }
            Optional<VersionScheme> scheme = schemes.forEcosystem(ecosystem);
            if (scheme.isEmpty()) {
                candidates.forEach(a -> out.add(unevaluable(p, a, Finding.Unevaluable.NO_VERSION_SCHEME,
                        "no version scheme for ecosystem " + ecosystem)));
                continue;
            }
            try {
                scheme.get().validate(target.version());
            } catch (InvalidVersionException e) {
                candidates.forEach(a -> out.add(unevaluable(p, a, Finding.Unevaluable.UNPARSEABLE_VERSION,
                        e.getMessage())));
                continue;
            }
            Installed installed = new Installed(scheme.get(), target.version());
            for (Advisory a : candidates) {
                evaluate(p, target, ecosystem, a, installed).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<Finding> evaluate(InstalledPackage p, Target target, String ecosystem, Advisory a,
                                       Installed installed) {
        Set<String> fixed = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        String problem = null;
        boolean hit = false;
        for (Affected affected : a.affected()) {
            if (!affected.ecosystem().equals(ecosystem) || !affected.name().equals(target.name())) {
                continue;
            }
            try {
                if (affects(affected, ecosystem, installed, fixed)) {
                    hit = true;
                    if (!affected.note().isEmpty()) {
                        notes.add(affected.note());
                    }
                }
            } catch (InvalidVersionException e) {
                problem = "advisory range cannot be evaluated: " + e.getMessage();
            }
        }
        if (hit) {
            return Optional.of(new Finding(Finding.Kind.VULNERABLE, a.id(), a.aliases(), p, List.copyOf(fixed),
                    a.severity(), a.published(), null, null, a.feed(), String.join("; ", notes), null, null));
        }
        return problem == null ? Optional.empty() : Optional.of(unevaluable(p, a, Finding.Unevaluable.UNREADABLE_RANGE,
                problem));
    }

    /** OSV's evaluation: each range's events in version order, then the explicit versions list. */
    private boolean affects(Affected affected, String ecosystem, Installed installed, Set<String> fixed) {
        boolean hit = false;
        for (Range range : affected.ranges()) {
            Optional<VersionScheme> scheme = schemes.forRange(range.type(), ecosystem);
            if (scheme.isEmpty()) {
                // GIT ranges name commits; the versions they resolve to are in the versions list
                continue;
            }
            Installed v = scheme.get() == installed.scheme ? installed : new Installed(scheme.get(), installed.version);
            if (inRange(scheme.get(), range, v)) {
                hit = true;
                for (Range.Event e : range.events()) {
                    if (e.kind() == Range.Kind.FIXED && v.compareTo(e.version()) < 0) {
                        fixed.add(e.version());
                    }
                }
            }
        }
        if (!hit) {
            for (String listed : affected.versions()) {
                if (listed.equals(installed.version) || installed.equalsLenient(listed)) {
                    return true;
                }
            }
        }
        return hit;
    }

    /**
     * The installed version with its comparisons memoised: advisories of one package repeat the same bounds and
     * version lists (116 Django advisories list the same releases), so each is parsed once per package.
     */
    static final class Installed {
        private final VersionScheme scheme;
        private final String version;
        private final Map<String, Integer> memo = new HashMap<>();

        Installed(VersionScheme scheme, String version) {
            this.scheme = scheme;
            this.version = version;
        }

        /** The installed version compared with {@code other}; {@code 0} as an event bound is below everything. */
        int compareTo(String other) {
            if (other.equals("0")) {
                return version.equals("0") ? 0 : 1;
            }
            Integer c = memo.get(other);
            if (c == null) {
                c = Integer.signum(scheme.compare(version, other));
                memo.put(other, c);
            }
            return c;
        }

        /** Equal under the scheme; a malformed entry in a versions list cannot equal a valid installed version. */
        boolean equalsLenient(String other) {
            try {
                return compareTo(other) == 0;
            } catch (InvalidVersionException e) {
                return false;
            }
        }
    }

    /**
     * OSV's evaluation of one range: walking the events in version order, {@code introduced <= v} makes v affected,
     * {@code fixed <= v} and {@code last_affected < v} make it unaffected, {@code limit <= v} excludes it. The walk
     * ends in the state set by the greatest state-changing event (the later one in the feed on a tie), so only
     * those events are ordered among themselves; the rest are compared with the installed version alone, whose
     * comparisons are memoised.
     */
    static boolean inRange(VersionScheme scheme, Range range, Installed version) {
        Range.Event winner = null;
        for (Range.Event e : range.events()) {
            int c = version.compareTo(e.version());
            if (e.kind() == Range.Kind.LIMIT && c >= 0) {
                return false;
            }
            boolean changes = switch (e.kind()) {
                case INTRODUCED, FIXED -> c >= 0;
                case LAST_AFFECTED -> c > 0;
                case LIMIT -> false;
            };
            if (changes && (winner == null || compareEvent(scheme, e.version(), winner.version()) >= 0)) {
                winner = e;
            }
        }
        return winner != null && winner.kind() == Range.Kind.INTRODUCED;
    }

    /** {@code 0} in an OSV event means "before every version", whatever the scheme would make of it. */
    private static int compareEvent(VersionScheme scheme, String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.equals("0")) {
            return -1;
        }
        if (b.equals("0")) {
            return 1;
        }
        return scheme.compare(a, b);
    }

    private static Finding unevaluable(InstalledPackage p, Advisory a, Finding.Unevaluable why, String reason) {
        return new Finding(Finding.Kind.UNEVALUABLE, a == null ? "" : a.id(), a == null ? List.of() : a.aliases(), p,
                List.of(), a == null ? Severity.NONE : a.severity(), a == null ? null : a.published(), null, null,
                a == null ? "" : a.feed(), reason, null, why);
    }
}
