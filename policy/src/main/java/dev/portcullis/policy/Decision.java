package dev.portcullis.policy;

/** The outcome of judging an image. */
public enum Decision {
    PROMOTE, REJECT
}
