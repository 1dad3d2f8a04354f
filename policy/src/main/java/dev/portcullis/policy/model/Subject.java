package dev.portcullis.policy.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything a policy judges an image by. The gate stores it with the verdict, so an image can be judged again
 * (after an exception, a policy change or a dry run) without being scanned again.
 */
public record Subject(ImageFacts image, List<PackageFacts> packages, List<FindingFacts> findings,
                      List<MisconfigFacts> misconfigurations, List<SecretFacts> secrets,
                      List<UnevaluableFacts> unevaluable, DatabaseFacts database) {
    public Subject {
        Objects.requireNonNull(image, "image");
        packages = List.copyOf(packages);
        findings = List.copyOf(findings);
        misconfigurations = List.copyOf(misconfigurations);
        secrets = List.copyOf(secrets);
        unevaluable = List.copyOf(unevaluable);
        Objects.requireNonNull(database, "database");
    }
}
