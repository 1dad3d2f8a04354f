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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
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

    public List<Finding> match(List<InstalledPackage> packages) {
        List<Finding> out = new ArrayList<>();
        for (InstalledPackage p : packages) {
            out.addAll(match(p));
        }
        return out;
    }

    public List<Finding> match(InstalledPackage p) {
        Target target;
        try {
            target = Target.of(p);
        } catch (Target.NoTarget e) {
            return List.of(unevaluable(p, null, e.getMessage()));
        }
        if (target.ecosystems().stream().noneMatch(lookup::covers)) {
            return List.of(unevaluable(p, null, "no advisory data imported for " + String.join(" or ",
                    target.ecosystems())));
        }
        List<Finding> out = new ArrayList<>();
        for (String ecosystem : target.ecosystems()) {
            List<Advisory> candidates = lookup.advisories(new PackageKey(ecosystem, target.name()));
            if (candidates.isEmpty()) {
                continue;
            }
            Optional<VersionScheme> scheme = schemes.forEcosystem(ecosystem);
            if (scheme.isEmpty()) {
                candidates.forEach(a -> out.add(unevaluable(p, a, "no version scheme for ecosystem " + ecosystem)));
                continue;
            }
            try {
                scheme.get().validate(target.version());
            } catch (InvalidVersionException e) {
                candidates.forEach(a -> out.add(unevaluable(p, a, e.getMessage())));
                continue;
            }
            for (Advisory a : candidates) {
                evaluate(p, target, ecosystem, a).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<Finding> evaluate(InstalledPackage p, Target target, String ecosystem, Advisory a) {
        Set<String> fixed = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        String problem = null;
        boolean hit = false;
        for (Affected affected : a.affected()) {
            if (!affected.ecosystem().equals(ecosystem) || !affected.name().equals(target.name())) {
                continue;
            }
            try {
                if (affects(affected, ecosystem, target.version(), fixed)) {
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
                    a.severity(), null, null, a.feed(), String.join("; ", notes), null));
        }
        return problem == null ? Optional.empty() : Optional.of(unevaluable(p, a, problem));
    }

    /** OSV's evaluation: explicit versions, then each range's events in version order. */
    private boolean affects(Affected affected, String ecosystem, String version, Set<String> fixed) {
        VersionScheme ecosystemScheme = schemes.forEcosystem(ecosystem).orElseThrow();
        boolean hit = false;
        for (String listed : affected.versions()) {
            if (listed.equals(version) || equalIn(ecosystemScheme, listed, version)) {
                hit = true;
                break;
            }
        }
        for (Range range : affected.ranges()) {
            Optional<VersionScheme> scheme = schemes.forRange(range.type(), ecosystem);
            if (scheme.isEmpty()) {
                // GIT ranges name commits; the versions they resolve to are in the versions list
                continue;
            }
            if (inRange(scheme.get(), range, version)) {
                hit = true;
                for (Range.Event e : range.events()) {
                    if (e.kind() == Range.Kind.FIXED && scheme.get().compare(e.version(), version) > 0) {
                        fixed.add(e.version());
                    }
                }
            }
        }
        return hit;
    }

    private static boolean equalIn(VersionScheme scheme, String a, String b) {
        try {
            return scheme.compare(a, b) == 0;
        } catch (InvalidVersionException e) {
            // a malformed entry in a versions list cannot equal a valid installed version
            return false;
        }
    }

    static boolean inRange(VersionScheme scheme, Range range, String version) {
        List<Range.Event> events = new ArrayList<>(range.events());
        Comparator<Range.Event> order = (x, y) -> compareEvent(scheme, x.version(), y.version());
        events.sort(order);
        boolean affected = false;
        for (Range.Event e : events) {
            int c = compareEvent(scheme, version, e.version());
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (c >= 0) {
                        affected = true;
                    }
                }
                case FIXED -> {
                    if (c >= 0) {
                        affected = false;
                    }
                }
                case LAST_AFFECTED -> {
                    if (c > 0) {
                        affected = false;
                    }
                }
                case LIMIT -> {
                    if (c >= 0) {
                        return false;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return affected;
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

    private static Finding unevaluable(InstalledPackage p, Advisory a, String reason) {
        return new Finding(Finding.Kind.UNEVALUABLE, a == null ? "" : a.id(), a == null ? List.of() : a.aliases(), p,
                List.of(), a == null ? Severity.NONE : a.severity(), null, null, a == null ? "" : a.feed(), reason,
                null);
    }
}
