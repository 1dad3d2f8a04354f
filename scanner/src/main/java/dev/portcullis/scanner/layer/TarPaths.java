package dev.portcullis.scanner.layer;

import java.util.ArrayDeque;
import java.util.Deque;

/** Normalises tar entry paths and link targets so that nothing can name a place outside the image root. */
public final class TarPaths {
    private TarPaths() {
    }

    /**
     * {@code ./a//b/../c/} → {@code a/c}; {@code /etc/passwd} → {@code etc/passwd}; {@code ../../etc} →
     * {@code etc} ({@code ..} stops at the root, as a chroot would). The root itself is the empty string.
     */
    public static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /**
     * Where the symlink at {@code linkPath} points, resolved lexically inside the root: absolute targets start at
     * the image root, relative ones at the link's directory.
     */
    public static String resolveSymlink(String linkPath, String target) {
        if (target.startsWith("/")) {
            return normalize(target);
        }
        int slash = linkPath.lastIndexOf('/');
        return normalize((slash < 0 ? "" : linkPath.substring(0, slash + 1)) + target);
    }

    /** {@code a/b/c} → {@code a/b}; a top-level name → the empty string (the root). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
