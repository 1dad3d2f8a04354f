package dev.portcullis.scanner;

import dev.portcullis.oci.Descriptor;

/** Hears about progress while layers are read, e.g. to draw a progress bar. */
public interface ScanListener {
    ScanListener NONE = new ScanListener() {
    };

    /** Layer {@code index} (0-based) of {@code count} is about to be read; {@code cached} if it will not be. */
    default void layerStarted(int index, int count, Descriptor layer, boolean cached) {
    }

    /** Compressed bytes of the current layer read so far. */
    default void bytesRead(long bytes) {
    }

    default void layerFinished(int index, int count) {
    }
}
