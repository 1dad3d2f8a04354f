package dev.portcullis.gate;

import java.util.Locale;

/** Where an image digest in an unscanned/ repository stands. */
public enum ImageState {
    /** A scan job waits for a worker. */
    QUEUED,
    /** A worker is scanning and judging it. */
    SCANNING,
    /** Judged and passed: the same digest is in scanned/. */
    PROMOTED,
    /** Judged and failed: it stays in unscanned/, with the verdict saying why. */
    REJECTED,
    /** It could not be judged (it kept failing, or it is not an image the gate can read); never promoted. */
    ERROR;

    /** Whether the gate is done with it (until something re-judges it). */
    public boolean isFinal() {
        return this == PROMOTED || this == REJECTED || this == ERROR;
    }

    /** The lower-case name used in the API and the database. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageState ofId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
