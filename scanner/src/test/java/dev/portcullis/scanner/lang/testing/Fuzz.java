package dev.portcullis.scanner.lang.testing;

import dev.portcullis.oci.Json;
import dev.portcullis.scanner.lang.PackageDataException;

/**
 * The contract every fuzzed parser keeps: it returns a result or rejects the input with a typed error
 * ({@link PackageDataException}, or {@link Json.JsonFormatException} for JSON); any other exception is a bug.
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** A parse of fuzzer input. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    public static void parsesOrRejects(Parse parse) throws Exception {
        try {
            parse.run();
        } catch (PackageDataException | Json.JsonFormatException expected) {
            // a clear, typed rejection is the contract
        }
    }
}
