package dev.portcullis.cli;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.scanner.ScanListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-line progress bar on stderr while layers are read, redrawn at most ten times a second. Drawn only when
 * stderr is a terminal, so logs and CI output stay clean.
 */
final class ProgressBar implements ScanListener, AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean enabled;
    private int index;
    private int count;
    private long size;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    static ProgressBar forStderr() {
        return new ProgressBar(System.err, stderrIsTerminal());
    }

    /** On Linux fd 2 is a link to the terminal device; elsewhere fall back to the JDK's console check. */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void layerStarted(int layerIndex, int layerCount, Descriptor layer, boolean cached) {
        index = layerIndex;
        count = layerCount;
        size = layer.size();
        draw(cached ? size : 0, true);
    }

    @Override
    public void bytesRead(long bytes) {
        draw(bytes, false);
    }

    private void draw(long bytes, boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = size <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * bytes / size);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] layer " + (index + 1) + "/" + count
                + "  " + mib(bytes) + (size > 0 ? "/" + mib(size) : "") + " MiB   ");
        out.flush();
        drawn = true;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    @Override
    public void close() {
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            out.flush();
        }
    }
}
