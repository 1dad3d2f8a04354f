package dev.portcullis.scanner.analyzer;

import dev.portcullis.oci.ImageConfig;

/**
 * Looks at the image configuration rather than at layer files: misconfiguration checks on {@code User},
 * {@code Healthcheck}, {@code ExposedPorts}, history, and secrets in {@code Env} and labels. Runs once per
 * image (per platform) after the layers are read; results are not cached per layer. All implementations are
 * listed in {@link Analyzers#image()}.
 */
public interface ImageAnalyzer {

    /** Stable identifier, e.g. {@code config-checks}. */
    String id();

    /** Reports what it finds in {@code config}; {@code sink} is the same kind as the one layer analyzers get. */
    void analyze(ImageConfig config, Sink sink);
}
