package dev.portcullis.scanner.layer;

/**
 * One entry of a layer tar, with its path normalised. For whiteouts, {@code path} is the path being deleted (the
 * {@code .wh.} prefix removed); for an opaque marker it is the directory whose lower contents are hidden.
 *
 * @param linkTarget for symlinks the raw target; for hard links the normalised path of the linked file
 */
public record TarEntry(String path, Kind kind, long size, int mode, String linkTarget) {

    public enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK, WHITEOUT, OPAQUE, OTHER }
}
