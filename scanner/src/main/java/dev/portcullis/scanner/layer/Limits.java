package dev.portcullis.scanner.layer;

/**
 * Bounds on what one scan reads, against tar and compression bombs. Exceeding a per-entry bound makes that entry
 * unreadable; exceeding a per-layer bound stops the layer (what was read so far is kept and the layer is marked
 * unreadable). Archives inside files (jar in jar) are opened, and bounded in depth, by the analyzer that reads
 * them, not by the layer walker.
 *
 * @param maxLayerBytes       decompressed bytes of one layer
 * @param maxImageBytes       decompressed bytes of all layers of one image together
 * @param maxEntries          tar entries in one layer
 * @param maxPathLength       characters in one entry path
 * @param maxRatio            decompressed ÷ compressed bytes, checked once {@code ratioFloorBytes} are out
 * @param ratioFloorBytes     decompressed bytes allowed before the ratio is checked (small layers of zeros are fine)
 * @param maxSharedFileBytes  size up to which a file wanted by several analyzers is buffered in memory once
 */
public record Limits(long maxLayerBytes, long maxImageBytes, long maxEntries, int maxPathLength,
                     long maxRatio, long ratioFloorBytes, long maxSharedFileBytes) {

    /**
     * Defaults for real images. The entry bound also bounds memory: the path index kept per layer for merging
     * costs roughly 200 bytes per entry, so a layer at the bound needs about 200 MiB of heap.
     */
    public static final Limits DEFAULTS = new Limits(16L << 30, 64L << 30, 1_000_000, 4096, 1000, 64L << 20,
            64L << 20);

    public Limits {
        if (maxLayerBytes <= 0 || maxImageBytes <= 0 || maxEntries <= 0 || maxPathLength <= 0
                || maxRatio <= 0 || ratioFloorBytes < 0 || maxSharedFileBytes < 0) {
            throw new IllegalArgumentException("scan limits must be positive");
        }
    }
}
