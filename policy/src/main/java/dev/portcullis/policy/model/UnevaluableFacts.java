package dev.portcullis.policy.model;

import java.util.Objects;

/**
 * A package that could not be judged against the vulnerability database.
 *
 * @param firstParty whether it is the image's own code, not something it installed
 */
public record UnevaluableFacts(String packagePurl, String packageName, String packageVersion,
                               UnevaluableReason reason, boolean firstParty) {
    public UnevaluableFacts {
        packagePurl = packagePurl == null ? "" : packagePurl;
        packageName = packageName == null ? "" : packageName;
        packageVersion = packageVersion == null ? "" : packageVersion;
        Objects.requireNonNull(reason, "reason");
    }
}
