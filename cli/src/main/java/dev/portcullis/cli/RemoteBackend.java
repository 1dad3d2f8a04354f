package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.auth.audit.Checkpoint;
import dev.portcullis.oci.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Administration through the management API of a running server, with the credentials of {@code portcullis login}. */
final class RemoteBackend implements AdminBackend {
    private final RemoteApi api;

    RemoteBackend(URI server, AuthFile authFile, SSLContext ssl) throws Exception {
        this.api = new RemoteApi(server, ssl);
        String refresh = authFile.identityToken(server).orElseThrow(() -> new RemoteApi.ApiException(
                "not logged in to " + AuthFile.host(server) + "; run: portcullis login " + server
                        + " -u USER --password-stdin"));
        api.authenticate(refresh);
    }

    @Override
    public void addTeam(String name) throws Exception {
        ObjectNode b = Json.object();
        b.put("name", name);
        api.send("POST", "/api/v1/teams", Optional.of(b));
    }

    @Override
    public void addUser(String name, String password, Optional<String> team, Optional<Role> role) throws Exception {
        ObjectNode b = Json.object();
        b.put("name", name);
        b.put("password", password);
        team.ifPresent(t -> b.put("team", t));
        role.ifPresent(r -> b.put("role", r.wire()));
        api.send("POST", "/api/v1/users", Optional.of(b));
    }

    @Override
    public void grant(String user, Optional<String> team, Role role) throws Exception {
        ObjectNode b = Json.object();
        team.ifPresent(t -> b.put("team", t));
        b.put("role", role.wire());
        api.send("POST", "/api/v1/users/" + RemoteApi.enc(user) + "/roles", Optional.of(b));
    }

    @Override
    public void revoke(String user, Optional<String> team, Role role) throws Exception {
        api.send("DELETE", "/api/v1/users/" + RemoteApi.enc(user) + "/roles?role=" + role.wire()
                + team.map(t -> "&team=" + RemoteApi.enc(t)).orElse(""), Optional.empty());
    }

    @Override
    public void deleteRobot(String name) throws Exception {
        api.send("DELETE", "/api/v1/robots/" + RemoteApi.enc(name), Optional.empty());
    }

    @Override
    public String[] addRobot(String name, String team, Role role, List<String> repositories,
                             Optional<Instant> expiresAt) throws Exception {
        ObjectNode b = Json.object();
        b.put("name", name);
        b.put("team", team);
        b.put("role", role.wire());
        ArrayNode repos = b.putArray("repositories");
        repositories.forEach(repos::add);
        expiresAt.ifPresent(e -> b.put("expiresAt", e.toString()));
        JsonNode r = api.send("POST", "/api/v1/robots", Optional.of(b));
        return new String[] {r.path("name").asText(), r.path("secret").asText()};
    }

    @Override
    public void setAnonymousPull(List<String> patterns) throws Exception {
        ObjectNode b = Json.object();
        ArrayNode a = b.putArray("anonymousPull");
        patterns.forEach(a::add);
        api.send("PUT", "/api/v1/settings", Optional.of(b));
    }

    /** Garbage collection of blob bytes nothing links; returns the server's report as one line. */
    public String collectGarbage(java.time.Duration grace, boolean dryRun) throws Exception {
        JsonNode r = api.send("POST", "/api/v1/gc?grace=" + grace.toSeconds() + "s&dryRun=" + dryRun,
                Optional.empty());
        return (r.path("dryRun").asBoolean() ? "would remove " : "removed ") + r.path("removed").asInt()
                + " of " + r.path("examined").asInt() + " blobs older than " + grace.toSeconds() + "s ("
                + r.path("bytesRemoved").asLong() + " bytes)";
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) throws Exception {
        StringBuilder path = new StringBuilder("/api/v1/audit?limit=" + q.limit() + "&after=" + q.afterSeq());
        q.actor().ifPresent(v -> path.append("&actor=").append(RemoteApi.enc(v)));
        q.team().ifPresent(v -> path.append("&team=").append(RemoteApi.enc(v)));
        q.repository().ifPresent(v -> path.append("&repo=").append(RemoteApi.enc(v)));
        q.action().ifPresent(v -> path.append("&action=").append(RemoteApi.enc(v)));
        q.since().ifPresent(v -> path.append("&since=").append(v));
        q.until().ifPresent(v -> path.append("&until=").append(v));
        List<AuditEntry> out = new ArrayList<>();
        for (JsonNode e : api.send("GET", path.toString(), Optional.empty()).path("entries")) {
            out.add(AuditEntry.fromJson(e));
        }
        return out;
    }

    @Override
    public void export(OutputStream out) throws Exception {
        try (InputStream in = api.stream("/api/v1/audit/export")) {
            in.transferTo(out);
        }
        out.flush();
    }

    /** Verifies an export of the live log here, so the check does not depend on trusting the server's verdict. */
    @Override
    public AuditVerifier.Report verify(Optional<Checkpoint> head) throws Exception {
        AuditLog.Export e;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(api.stream("/api/v1/audit/export"),
                StandardCharsets.UTF_8))) {
            e = AuditLog.readExport(in);
        }
        HttpResponse<String> key = api.raw("GET", "/.well-known/portcullis-audit-key.json", Optional.empty());
        return AuditVerifier.verify(e.entries(), e.checkpoints(), key.statusCode() == 200
                ? Optional.of(com.nimbusds.jose.jwk.ECKey.parse(key.body())) : Optional.empty(), head,
                AuditLog.CHECKPOINT_EVERY);
    }

    @Override
    public void close() {
    }
}
