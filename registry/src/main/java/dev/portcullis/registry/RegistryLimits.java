package dev.portcullis.registry;

/**
 * Bounds on what clients may send.
 *
 * @param maxBlobBytes     largest blob accepted (bytes)
 * @param maxManifestBytes largest manifest accepted (bytes); 4 MiB by default, as the spec suggests
 * @param maxPageSize      most entries returned by one tags-list or catalog page
 */
public record RegistryLimits(long maxBlobBytes, int maxManifestBytes, int maxPageSize) {
    public static final RegistryLimits DEFAULTS = new RegistryLimits(64L << 30, 4 << 20, 1000);

    public RegistryLimits {
        if (maxBlobBytes <= 0 || maxManifestBytes <= 0 || maxPageSize <= 0) {
            throw new IllegalArgumentException("registry limits must be positive");
        }
    }
}
