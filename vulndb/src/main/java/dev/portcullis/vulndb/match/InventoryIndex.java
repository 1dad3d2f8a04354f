package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.PackageKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stored inventories indexed by the advisory key of each package (ecosystem + looked-up name), so that a feed
 * update finds the images and packages it concerns without visiting the others. Not thread-safe while filled.
 */
public final class InventoryIndex {
    /** One package of one image. */
    record Ref(int image, int pkg) {
    }

    private final List<String> images = new ArrayList<>();
    private final List<List<InstalledPackage>> inventories = new ArrayList<>();
    private final Map<PackageKey, List<Ref>> byKey = new HashMap<>();

    /** Adds an image's inventory; packages without an evaluable ecosystem have no key and are not indexed. */
    public void add(String image, List<InstalledPackage> packages) {
        int id = images.size();
        images.add(image);
        inventories.add(List.copyOf(packages));
        for (int i = 0; i < packages.size(); i++) {
            try {
                Target t = Target.of(packages.get(i));
                for (String ecosystem : t.ecosystems()) {
                    byKey.computeIfAbsent(new PackageKey(ecosystem, t.name()), k -> new ArrayList<>())
                            .add(new Ref(id, i));
                }
            } catch (Target.NoTarget e) {
                // unevaluable whatever the feeds say: a feed update cannot change its finding
            }
        }
    }

    public int size() {
        return images.size();
    }

    /** The packages of each image that any of {@code keys} concerns, by image index. */
    Map<Integer, List<Integer>> affected(Set<PackageKey> keys) {
        Map<Integer, List<Integer>> out = new HashMap<>();
        for (PackageKey k : keys) {
            for (Ref r : byKey.getOrDefault(k, List.of())) {
                List<Integer> pkgs = out.computeIfAbsent(r.image(), x -> new ArrayList<>());
                if (!pkgs.contains(r.pkg())) {
                    pkgs.add(r.pkg());
                }
            }
        }
        return out;
    }

    String image(int id) {
        return images.get(id);
    }

    InstalledPackage pkg(int image, int pkg) {
        return inventories.get(image).get(pkg);
    }
}
