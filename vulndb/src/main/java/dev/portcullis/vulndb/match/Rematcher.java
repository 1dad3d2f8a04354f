package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.PackageKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * After a feed update, re-matches only the packages whose advisories changed ({@code ImportReport#changedPackages})
 * and reports per image the findings added and removed, compared with the image's previous findings.
 */
public final class Rematcher {
    /** What changed for one image. */
    public record ImageChange(String image, List<Finding> added, List<Finding> removed) {
        public ImageChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** The changes, and how much work it took: images and packages re-matched. */
    public record Result(List<ImageChange> changes, int imagesTouched, int packagesRematched) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    /** A finding's identity across matches: what it says about which package, not its decoration. */
    private record Key(Finding.Kind kind, String advisory, InstalledPackage pkg) {
        static Key of(Finding f) {
            return new Key(f.kind(), f.advisoryId(), f.pkg());
        }
    }

    private final Matcher matcher;

    public Rematcher(Matcher matcher) {
        this.matcher = matcher;
    }

    /**
     * @param previous the findings each image had before the update (by image name)
     */
    public Result rematch(InventoryIndex index, Set<PackageKey> changed, Function<String, List<Finding>> previous) {
        Map<Integer, List<Integer>> touched = index.affected(changed);
        // one lookup for every touched package; a package found in many images is matched once
        Set<InstalledPackage> distinct = new LinkedHashSet<>();
        int packages = 0;
        for (Map.Entry<Integer, List<Integer>> e : touched.entrySet()) {
            for (int p : e.getValue()) {
                distinct.add(index.pkg(e.getKey(), p));
                packages++;
            }
        }
        Map<InstalledPackage, List<Finding>> matched = new HashMap<>();
        distinct.forEach(p -> matched.put(p, new ArrayList<>()));
        for (Finding f : matcher.match(List.copyOf(distinct))) {
            matched.get(f.pkg()).add(f);
        }
        List<ImageChange> changes = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> e : touched.entrySet()) {
            String image = index.image(e.getKey());
            Map<Key, Finding> now = new LinkedHashMap<>();
            Set<InstalledPackage> pkgs = new HashSet<>();
            for (int p : e.getValue()) {
                InstalledPackage pkg = index.pkg(e.getKey(), p);
                pkgs.add(pkg);
                matched.get(pkg).forEach(f -> now.put(Key.of(f), f));
            }
            Map<Key, Finding> before = new LinkedHashMap<>();
            for (Finding f : previous.apply(image)) {
                if (pkgs.contains(f.pkg())) {
                    before.put(Key.of(f), f);
                }
            }
            List<Finding> added = now.entrySet().stream().filter(x -> !before.containsKey(x.getKey()))
                    .map(Map.Entry::getValue).toList();
            List<Finding> removed = before.entrySet().stream().filter(x -> !now.containsKey(x.getKey()))
                    .map(Map.Entry::getValue).toList();
            if (!added.isEmpty() || !removed.isEmpty()) {
                changes.add(new ImageChange(image, added, removed));
            }
        }
        return new Result(changes, touched.size(), packages);
    }
}
