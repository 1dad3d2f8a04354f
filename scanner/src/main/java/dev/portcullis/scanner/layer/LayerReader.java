package dev.portcullis.scanner.layer;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Analyses one layer: walks its tar once and feeds every regular file to every analyzer that accepts it. A
 * symlink or hard link whose own path an analyzer wants (and whose target's path it does not) is fed with its
 * target's content under the link's path when the target is in the same layer (a link to a lower layer's file
 * is analysed there, under the target's path). A link whose target came earlier in the tar costs a second, targeted pass over the layer; that is rare.
 * Analysis overlaps decompression: one worker thread runs the analyzers on files copied out of the stream
 * ({@link AnalysisWorker}), so a scan costs little more than reading the layer. Every problem ends up in
 * {@link LayerResult#unreadable()}.
 */
public final class LayerReader {
    private static final int MAX_LINK_HOPS = 8;
    /** A file only one analyzer wants is streamed rather than copied above this size. */
    private static final long STREAM_ABOVE = 8L << 20;
    /** File bytes copied out of the stream and waiting for the analysis thread. */
    private static final long MAX_IN_FLIGHT = 32L << 20;

    private final List<Analyzer> analyzers;
    private final Limits limits;

    public LayerReader(List<Analyzer> analyzers, Limits limits) {
        this.analyzers = List.copyOf(analyzers);
        this.limits = limits;
    }

    /** Opens a fresh stream of the compressed layer blob each time it is called. */
    @FunctionalInterface
    public interface BlobOpener {
        InputStream open() throws IOException;
    }

    /** {@code progress} receives the number of compressed bytes read so far (may be called often). */
    public LayerResult read(Digest layer, BlobOpener blob, LongConsumer progress) {
        Collector c = new Collector(layer);
        TarWalker.Stats stats = null;
        long expandedBeforeFailure = 0;
        try {
            try (InputStream in = new Progress(blob.open(), progress)) {
                stats = new TarWalker(limits).walk(in, layer, c);
            } catch (LayerReadException e) {
                expandedBeforeFailure = e.decompressedBytes();
                c.unreadable(new Unreadable(layer, null, e.getMessage()));
            } catch (IOException e) {
                c.unreadable(new Unreadable(layer, null, "cannot open layer blob: " + e.getMessage()));
            }
            c.worker.drain();
            if (stats != null && !c.secondPass.isEmpty()) {
                secondPass(layer, blob, c);
                c.worker.drain();
            }
        } finally {
            c.worker.close();
        }
        return new LayerResult(layer, c.packages, c.os, c.misconfigurations, c.secrets, c.unreadable,
                c.sizes.keySet(), c.whiteouts, c.opaque, stats == null ? c.entries : stats.entries(),
                stats == null ? expandedBeforeFailure : stats.decompressedBytes());
    }

    private void secondPass(Digest layer, BlobOpener blob, Collector first) {
        Map<String, List<Consumer>> wanted = first.secondPass;
        TarWalker.Visitor v = new TarWalker.Visitor() {
            @Override
            public void entry(TarEntry entry, InputStream content) throws IOException {
                List<Consumer> consumers = wanted.get(entry.path());
                if (entry.kind() == TarEntry.Kind.FILE && consumers != null) {
                    first.feed(entry, content, consumers);
                }
            }

            @Override
            public synchronized void skipped(String rawPath, String reason) {
                // already reported by the first pass
            }
        };
        try (InputStream in = blob.open()) {
            new TarWalker(limits).walk(in, null, v);
        } catch (IOException e) {
            first.unreadable(new Unreadable(layer, null, "second pass for links failed: " + e.getMessage()));
        }
    }

    /** Size and permission bits of a regular file seen in the layer. */
    private record FileMeta(long size, int mode) {
    }

    /** An analyzer and the path under which it sees a file (a link's path when fed through a link). */
    private record Consumer(Analyzer analyzer, String path) {
    }

    private final class Collector implements TarWalker.Visitor, Sink {
        final Digest layer;
        final List<Package> packages = new ArrayList<>();
        final List<OsInfo> os = new ArrayList<>();
        final List<Misconfiguration> misconfigurations = new ArrayList<>();
        final List<SecretFinding> secrets = new ArrayList<>();
        final List<Unreadable> unreadable = new ArrayList<>();
        /** Every non-directory path of the layer; for regular files size and mode, else null. */
        final Map<String, FileMeta> sizes = new HashMap<>();
        final Map<String, String> symlinks = new HashMap<>();
        final Set<String> whiteouts = new HashSet<>();
        final Set<String> opaque = new HashSet<>();
        /** Links whose target has not been seen yet: target path → link paths. */
        final Map<String, List<String>> pendingLinks = new HashMap<>();
        final Map<String, List<Consumer>> secondPass = new LinkedHashMap<>();
        final AnalysisWorker worker = new AnalysisWorker(MAX_IN_FLIGHT);
        long entries;

        Collector(Digest layer) {
            this.layer = layer;
        }

        @Override
        public void entry(TarEntry e, InputStream content) throws IOException {
            entries++;
            switch (e.kind()) {
                case FILE -> file(e, content);
                case SYMLINK -> {
                    sizes.put(e.path(), null);
                    symlinks.put(e.path(), TarPaths.resolveSymlink(e.path(), e.linkTarget()));
                    link(e.path(), TarPaths.resolveSymlink(e.path(), e.linkTarget()));
                }
                case HARDLINK -> {
                    sizes.put(e.path(), null);
                    link(e.path(), e.linkTarget());
                }
                case WHITEOUT -> whiteouts.add(e.path());
                case OPAQUE -> opaque.add(e.path());
                case OTHER -> sizes.put(e.path(), null);
                case DIRECTORY -> {
                }
            }
        }

        private void file(TarEntry e, InputStream content) throws IOException {
            sizes.put(e.path(), new FileMeta(e.size(), e.mode()));
            List<Consumer> consumers = new ArrayList<>();
            for (Analyzer a : analyzers) {
                if (a.accepts(e.path(), e.size(), e.mode())) {
                    consumers.add(new Consumer(a, e.path()));
                }
            }
            List<String> links = pendingLinks.remove(e.path());
            if (links != null) {
                for (String link : links) {
                    for (Analyzer a : analyzers) {
                        if (viaLink(a, link, e.path(), new FileMeta(e.size(), e.mode()))) {
                            consumers.add(new Consumer(a, link));
                        }
                    }
                }
            }
            if (!consumers.isEmpty()) {
                feed(e, content, consumers);
            }
        }

        private void link(String path, String target) {
            String resolved = target;
            for (int hop = 0; hop < MAX_LINK_HOPS && symlinks.containsKey(resolved); hop++) {
                resolved = symlinks.get(resolved);
            }
            if (resolved.isEmpty() || resolved.equals(path)) {
                return;
            }
            if (!sizes.containsKey(resolved)) {
                pendingLinks.computeIfAbsent(resolved, k -> new ArrayList<>()).add(path);
                return;
            }
            FileMeta meta = sizes.get(resolved);
            if (meta == null) {
                return; // a link to a device or to an unresolved link: nothing to read
            }
            for (Analyzer a : analyzers) {
                if (viaLink(a, path, resolved, meta)) {
                    secondPass.computeIfAbsent(resolved, k -> new ArrayList<>()).add(new Consumer(a, path));
                }
            }
        }

        /**
         * An analyzer reads a file through a link only when it wants the link's path but not the target's: what it
         * wants under the target's own path it already gets there, and reading it twice would report it twice.
         * The link is judged with the target's size and mode, which are what a reader of the link sees.
         */
        private static boolean viaLink(Analyzer a, String link, String target, FileMeta meta) {
            return a.accepts(link, meta.size(), meta.mode()) && !a.accepts(target, meta.size(), meta.mode());
        }

        /**
         * Small files, and files several analyzers want up to the shared-buffer limit, are copied out of the tar
         * stream and analysed on the worker thread while the walker decompresses on; a large file only one
         * analyzer wants is streamed on this thread once the worker has caught up. Either way every analyzer
         * sees its files one at a time and in tar order.
         */
        void feed(TarEntry e, InputStream content, List<Consumer> consumers) throws IOException {
            boolean shared = consumers.size() > 1;
            if (e.size() <= (shared ? limits.maxSharedFileBytes() : STREAM_ABOVE)) {
                byte[] bytes = content.readNBytes((int) e.size());
                worker.submit(bytes.length, () -> {
                    for (Consumer c : consumers) {
                        analyze(c, e, new ByteArrayInputStream(bytes));
                    }
                });
                return;
            }
            worker.drain();
            analyze(consumers.getFirst(), e, content);
            // only one analyzer can read a stream that is not buffered; the others lose this file visibly
            for (Consumer c : consumers.subList(1, consumers.size())) {
                unreadable(new Unreadable(layer, c.path(), c.analyzer().id() + ": file of " + e.size()
                        + " bytes is wanted by several analyzers and exceeds the shared buffer limit of "
                        + limits.maxSharedFileBytes() + " bytes"));
            }
        }

        private void analyze(Consumer c, TarEntry e, InputStream content) {
            try {
                c.analyzer().analyze(new LayerFile(layer, c.path(), e.size(), e.mode(), content), this);
            } catch (TarWalker.TarStreamException x) {
                throw x;
            } catch (IOException | RuntimeException x) {
                String why = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
                unreadable(new Unreadable(layer, c.path(), c.analyzer().id() + ": " + why));
            } catch (StackOverflowError x) {
                // a recursive parser on hostile input: lose the file, not the scan
                unreadable(new Unreadable(layer, c.path(), c.analyzer().id() + ": input nested too deeply"));
            }
        }

        @Override
        public synchronized void skipped(String rawPath, String reason) {
            unreadable(new Unreadable(layer, rawPath, reason));
        }

        @Override
        public synchronized void pkg(Package pkg) {
            packages.add(pkg);
        }

        @Override
        public synchronized void os(OsInfo info) {
            os.add(info);
        }

        @Override
        public synchronized void misconfiguration(Misconfiguration finding) {
            misconfigurations.add(finding);
        }

        @Override
        public synchronized void secret(SecretFinding finding) {
            secrets.add(finding);
        }

        @Override
        public synchronized void unreadable(Unreadable problem) {
            unreadable.add(problem);
        }
    }

    /** Reports compressed bytes read, for progress bars. */
    private static final class Progress extends FilterInputStream {
        private final LongConsumer listener;
        private long count;

        Progress(InputStream in, LongConsumer listener) {
            super(in);
            this.listener = listener;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                listener.accept(count);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int r = super.read();
            if (r >= 0) {
                listener.accept(++count);
            }
            return r;
        }
    }
}
