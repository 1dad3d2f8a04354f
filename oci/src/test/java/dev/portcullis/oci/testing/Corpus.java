package dev.portcullis.oci.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared corpus of real images and feeds: {@code PORTCULLIS_CORPUS}, else the {@code portcullis.corpus}
 * system property (set by the build to {@code ../shared/corpus}), else {@code ../shared/corpus} from the working
 * directory and its parents. Tests that need it call {@link #require()}, which skips them with a visible reason
 * when it is absent (a fresh clone elsewhere); CI always has it.
 */
public final class Corpus {
    private Corpus() {
    }

    public static Optional<Path> find() {
        String env = System.getenv("PORTCULLIS_CORPUS");
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env))) {
            return Optional.of(Paths.get(env).toAbsolutePath().normalize());
        }
        String prop = System.getProperty("portcullis.corpus");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Optional.of(Paths.get(prop).toAbsolutePath().normalize());
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(candidate.resolve("images"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The corpus root, or the calling test is skipped with the reason. */
    public static Path require() {
        Optional<Path> root = find();
        Assumptions.assumeTrue(root.isPresent(),
                "shared corpus not found: set PORTCULLIS_CORPUS or place it at ../shared/corpus");
        return root.get();
    }

    /** {@code images/<name>} of the corpus, e.g. {@code java-app}. */
    public static Path image(String name) {
        return require().resolve("images").resolve(name);
    }

    public static Path feeds() {
        return require().resolve("feeds");
    }
}
