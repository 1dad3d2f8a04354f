package dev.portcullis.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.auth.token.KeyRing;
import dev.portcullis.auth.token.TokenService;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for what this module reads from clients and files: token-request scopes, bearer tokens and audit
 * exports. The only acceptable outcome of bad input is the typed refusal. In the normal build these run once per
 * seed in {@code *Inputs/}; run them for real with {@code JAZZER_FUZZ=1} (see {@code bench/fuzz/README.md}).
 */
class UntrustedInputFuzzTest {
    private static TokenService tokens;

    private static synchronized TokenService tokens() throws IOException {
        if (tokens == null) {
            Path dir = Files.createTempDirectory("portcullis-fuzz-");
            Database db = Database.sqlite(dir);
            db.migrate("auth");
            tokens = new TokenService(new KeyRing(db, Clock.systemUTC(), Duration.ofDays(1), Duration.ofMinutes(11)),
                    Clock.systemUTC(), "portcullis", "portcullis", Duration.ofMinutes(5));
        }
        return tokens;
    }

    @FuzzTest(maxDuration = "10s")
    void scopes(byte[] bytes) {
        try {
            List<Scope> scopes = Scope.parseAll(List.of(new String(bytes, StandardCharsets.UTF_8)));
            scopes.forEach(Scope::toString);
        } catch (AuthException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "20s")
    void tokens(byte[] bytes) throws IOException {
        try {
            tokens().verify(new String(bytes, StandardCharsets.UTF_8));
            throw new AssertionError("a token nobody signed was accepted");
        } catch (AuthException expected) {
            // refused: only tokens signed by the key ring verify
        }
    }

    @FuzzTest(maxDuration = "20s")
    void auditExport(byte[] bytes) throws IOException {
        try {
            AuditLog.Export e = AuditLog.readExport(new BufferedReader(new StringReader(new String(bytes,
                    StandardCharsets.UTF_8))));
            AuditVerifier.verify(e.entries(), e.checkpoints(), Optional.empty());
        } catch (Json.JsonFormatException | DateTimeParseException expected) {
            // refused with the line number
        }
    }
}
