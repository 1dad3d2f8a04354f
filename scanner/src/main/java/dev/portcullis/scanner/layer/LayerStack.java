package dev.portcullis.scanner.layer;

import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layers of one image, bottom first, merged into the final filesystem view. A finding from a lower layer's
 * file is visible only if no upper layer replaced that file, deleted it (whiteout), deleted or replaced one of
 * its directories, or made one of its directories opaque. Packages are taken from the visible view only;
 * secrets and misconfigurations are taken from every layer, because a secret deleted in an upper layer is still
 * in the image's blobs.
 */
public final class LayerStack {
    private static final Set<Ecosystem> OS_ECOSYSTEMS = EnumSet.of(Ecosystem.DEB, Ecosystem.APK, Ecosystem.RPM);
    private final List<LayerResult> layers;

    public LayerStack(List<LayerResult> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Whether {@code path} as written by layer {@code index} is still there in the final view. */
    public boolean visible(int index, String path) {
        int nested = path.indexOf("!/");
        String p = nested < 0 ? path : path.substring(0, nested);
        for (int j = index + 1; j < layers.size(); j++) {
            LayerResult upper = layers.get(j);
            if (upper.files().contains(p) || upper.whiteouts().contains(p)) {
                return false;
            }
            for (String dir = TarPaths.parent(p); ; dir = TarPaths.parent(dir)) {
                if (upper.opaqueDirs().contains(dir) || upper.whiteouts().contains(dir)
                        || (!dir.isEmpty() && upper.files().contains(dir))) {
                    return false;
                }
                if (dir.isEmpty()) {
                    break;
                }
            }
        }
        return true;
    }

    /**
     * Packages of the final view. An OS package's layer is the lowest layer from which the same database file
     * continuously lists the same name and version, i.e. the layer that introduced it.
     */
    public List<Package> packages() {
        List<Set<String>> osKeys = new ArrayList<>();
        for (LayerResult l : layers) {
            Set<String> keys = new HashSet<>();
            l.packages().stream().filter(p -> OS_ECOSYSTEMS.contains(p.ecosystem())).forEach(p -> keys.add(key(p)));
            osKeys.add(keys);
        }
        List<Package> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Package p : layers.get(i).packages()) {
                if (!visible(i, p.path())) {
                    continue;
                }
                if (!OS_ECOSYSTEMS.contains(p.ecosystem())) {
                    out.add(p);
                    continue;
                }
                int intro = i;
                for (int k = i - 1; k >= 0; k--) {
                    LayerResult lower = layers.get(k);
                    if (lower.whiteouts().contains(p.path())) {
                        break;
                    }
                    if (!lower.files().contains(p.path())) {
                        continue;
                    }
                    if (!osKeys.get(k).contains(key(p))) {
                        break;
                    }
                    intro = k;
                }
                out.add(intro == i ? p : new Package(p.ecosystem(), p.name(), p.version(), p.purl(),
                        layers.get(intro).layer(), p.path(), p.source(), p.licenses(), p.properties()));
            }
        }
        return out;
    }

    /**
     * The operating system: among visible release files, the first path of {@code preference} that any layer
     * has, from the topmost such layer.
     */
    public Optional<OsInfo> os(List<String> preference) {
        for (String path : preference) {
            for (int i = layers.size() - 1; i >= 0; i--) {
                if (!visible(i, path)) {
                    continue;
                }
                for (OsInfo o : layers.get(i).os()) {
                    if (o.path().equals(path)) {
                        return Optional.of(o);
                    }
                }
            }
        }
        return Optional.empty();
    }

    public List<Misconfiguration> misconfigurations() {
        return layers.stream().flatMap(l -> l.misconfigurations().stream()).toList();
    }

    public List<SecretFinding> secrets() {
        return layers.stream().flatMap(l -> l.secrets().stream()).toList();
    }

    public List<Unreadable> unreadable() {
        return layers.stream().flatMap(l -> l.unreadable().stream()).toList();
    }

    private static String key(Package p) {
        return p.ecosystem() + "\u0000" + p.path() + "\u0000" + p.name() + "\u0000" + p.version();
    }
}
