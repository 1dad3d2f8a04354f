package dev.portcullis.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Namespace;
import dev.portcullis.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Run-time settings changed through the management API and kept in the database. The only one so far is the list
 * of scanned/ repository patterns anyone may pull without credentials: empty (off) unless an admin sets it.
 */
public final class Settings {
    private static final String ANONYMOUS_PULL = "anonymousPull";

    private final Database db;
    private volatile List<RepositoryPattern> anonymousPull;

    public Settings(Database db) {
        this.db = db;
        this.anonymousPull = load();
    }

    public List<String> anonymousPullPatterns() {
        return anonymousPull.stream().map(RepositoryPattern::glob).toList();
    }

    public boolean anonymousPull(String repository) {
        return anonymousPull.stream().anyMatch(p -> p.matches(repository));
    }

    public boolean anonymousPullEnabled() {
        return !anonymousPull.isEmpty();
    }

    /** Replaces the anonymous-pull patterns; each must lie under scanned/, because unscanned images are unvetted. */
    void setAnonymousPull(List<String> patterns) {
        List<RepositoryPattern> parsed = new ArrayList<>();
        for (String p : patterns) {
            if (!p.startsWith(Namespace.SCANNED + "/")) {
                throw new AuthException(AuthException.Reason.INVALID, "anonymous pull is possible only for scanned/"
                        + " repositories; '" + p + "' is not under scanned/");
            }
            parsed.add(new RepositoryPattern(p));
        }
        ArrayNode array = Json.mapper().createArrayNode();
        parsed.forEach(p -> array.add(p.glob()));
        String value = new String(Json.write(array), StandardCharsets.UTF_8);
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM auth_setting WHERE name = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO auth_setting (name, value) VALUES (?, ?)")) {
                del.setString(1, ANONYMOUS_PULL);
                del.executeUpdate();
                ins.setString(1, ANONYMOUS_PULL);
                ins.setString(2, value);
                ins.executeUpdate();
            }
            return null;
        });
        anonymousPull = List.copyOf(parsed);
    }

    /** Re-reads the settings (another node or the CLI may have changed them). */
    public void reload() {
        anonymousPull = load();
    }

    private List<RepositoryPattern> load() {
        String value = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM auth_setting WHERE name = ?")) {
                s.setString(1, ANONYMOUS_PULL);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (value == null) {
            return List.of();
        }
        List<RepositoryPattern> out = new ArrayList<>();
        for (JsonNode n : Json.parse(value.getBytes(StandardCharsets.UTF_8))) {
            out.add(new RepositoryPattern(n.asText()));
        }
        return List.copyOf(out);
    }
}
