package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Identities;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.oci.Json;
import dev.portcullis.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The management API ({@code /api/v1}): JSON over HTTP for teams, users, roles, robots, settings and the audit
 * log. Authorization and auditing of each change happen in {@code Administration}; this class only translates.
 */
final class ManagementEndpoints {
    private final Auth auth;
    private final Clients clients;
    private final Registry registry;
    private final MappedBlobs mappedBlobs;
    /** Long enough for any upload that committed its blob on another node to have linked it. */
    static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    ManagementEndpoints(Auth auth, Clients clients, Registry registry, MappedBlobs mappedBlobs) {
        this.auth = auth;
        this.clients = clients;
        this.registry = registry;
        this.mappedBlobs = mappedBlobs;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/v1/whoami", this::whoami),
                Route.of("GET", "/api/v1/teams", this::teams),
                Route.of("POST", "/api/v1/teams", this::addTeam),
                Route.of("GET", "/api/v1/users", this::users),
                Route.of("POST", "/api/v1/users", this::addUser),
                Route.of("POST", "/api/v1/users/{user}/roles", this::grant),
                Route.of("DELETE", "/api/v1/users/{user}/roles", this::revoke),
                Route.of("PUT", "/api/v1/users/{user}/password", this::password),
                Route.of("POST", "/api/v1/users/{user}/disable", this::disable),
                Route.of("GET", "/api/v1/robots", this::robots),
                Route.of("POST", "/api/v1/robots", this::addRobot),
                Route.of("DELETE", "/api/v1/robots/{robot}", this::deleteRobot),
                Route.of("GET", "/api/v1/settings", this::settings),
                Route.of("PUT", "/api/v1/settings", this::changeSettings),
                Route.of("POST", "/api/v1/logout", this::logout),
                Route.of("POST", "/api/v1/keys/rotate", this::rotateKeys),
                Route.of("POST", "/api/v1/gc", this::collectGarbage),
                Route.of("GET", "/api/v1/audit", this::audit),
                Route.of("GET", "/api/v1/audit/export", this::auditExport),
                Route.of("GET", "/api/v1/audit/verify", this::auditVerify),
                Route.of("GET", "/api/v1/audit/head", this::auditHead));
    }

    private RequestContext ctx(Exchange ex) {
        return clients.context(ex);
    }

    private static Grant grant(Optional<String> team, String role) {
        return Grant.of(team, Role.parse(role));
    }

    private static void ok(Exchange ex, int status, JsonNode body) throws Exception {
        ex.header("Cache-Control", "no-store").status(status).sendJson(Json.write(body));
    }

    void whoami(Exchange ex) throws Exception {
        Principal p = ex.principal();
        ObjectNode o = Json.object();
        o.put("name", p.name());
        o.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode roles = o.putArray("roles");
        p.grants().forEach(g -> roles.add(g.toString()));
        ok(ex, 200, o);
    }

    void teams(Exchange ex) throws Exception {
        ObjectNode o = Json.object();
        o.set("teams", AuthEndpoints.strings(auth.administration().teams(ex.principal())));
        ok(ex, 200, o);
    }

    void addTeam(Exchange ex) throws Exception {
        String name = JsonBody.read(ex, "name").text("name");
        auth.administration().addTeam(ex.principal(), ctx(ex), name);
        ObjectNode o = Json.object();
        o.put("name", name);
        ok(ex, 201, o);
    }

    void users(Exchange ex) throws Exception {
        ObjectNode o = Json.object();
        ArrayNode users = o.putArray("users");
        for (Identities.UserInfo u : auth.administration().users(ex.principal())) {
            ObjectNode n = users.addObject();
            n.put("name", u.name());
            n.put("disabled", u.disabled());
            n.put("createdAt", u.createdAt().toString());
            ArrayNode roles = n.putArray("roles");
            u.grants().forEach(g -> roles.add(g.toString()));
        }
        ok(ex, 200, o);
    }

    void addUser(Exchange ex) throws Exception {
        JsonBody b = JsonBody.read(ex, "name", "password", "team", "role");
        String name = b.text("name");
        String password = b.text("password");
        Optional<String> team = b.optionalText("team");
        Optional<Grant> g = b.optionalText("role").map(r -> grant(team, r));
        auth.administration().addUser(ex.principal(), ctx(ex), name, password, g);
        ObjectNode o = Json.object();
        o.put("name", name);
        ok(ex, 201, o);
    }

    void grant(Exchange ex) throws Exception {
        JsonBody b = JsonBody.read(ex, "team", "role");
        auth.administration().grant(ex.principal(), ctx(ex), ex.path("user"), grant(b.optionalText("team"),
                b.text("role")));
        ok(ex, 200, Json.object());
    }

    void revoke(Exchange ex) throws Exception {
        String role = ex.query("role").orElseThrow(() -> new AuthException(AuthException.Reason.INVALID,
                "query parameter 'role' is required"));
        auth.administration().revoke(ex.principal(), ctx(ex), ex.path("user"), grant(ex.query("team"), role));
        ok(ex, 200, Json.object());
    }

    void password(Exchange ex) throws Exception {
        auth.administration().setPassword(ex.principal(), ctx(ex), ex.path("user"), JsonBody.read(ex, "password")
                .text("password"));
        ok(ex, 200, Json.object());
    }

    void disable(Exchange ex) throws Exception {
        auth.administration().setUserDisabled(ex.principal(), ctx(ex), ex.path("user"), true);
        ok(ex, 200, Json.object());
    }

    void robots(Exchange ex) throws Exception {
        ObjectNode o = Json.object();
        ArrayNode robots = o.putArray("robots");
        for (Identities.RobotInfo r : auth.administration().robots(ex.principal())) {
            robots.add(robot(r));
        }
        ok(ex, 200, o);
    }

    static ObjectNode robot(Identities.RobotInfo r) {
        ObjectNode n = Json.object();
        n.put("name", r.name());
        n.put("team", r.team());
        n.put("role", r.role().wire());
        n.set("repositories", AuthEndpoints.strings(r.repositories()));
        n.put("createdBy", r.createdBy());
        n.put("createdAt", r.createdAt().toString());
        r.expiresAt().ifPresent(e -> n.put("expiresAt", e.toString()));
        r.lastUsedAt().ifPresent(e -> n.put("lastUsedAt", e.toString()));
        return n;
    }

    void addRobot(Exchange ex) throws Exception {
        JsonBody b = JsonBody.read(ex, "name", "team", "role", "repositories", "expiresAt");
        String name = b.text("name");
        String team = b.text("team");
        Role role = Role.parse(b.text("role"));
        // Absent: the robot may use every repository of its team; present, it is limited to those listed.
        List<String> repos = b.optionalStrings("repositories").orElse(List.of());
        Optional<Instant> expires = b.optionalInstant("expiresAt");
        Identities.NewRobot robot = auth.administration().addRobot(ex.principal(), ctx(ex), name, team, role, repos,
                expires);
        ObjectNode o = robot(robot.robot());
        o.put("secret", robot.secret());
        ok(ex, 201, o);
    }

    void deleteRobot(Exchange ex) throws Exception {
        auth.administration().deleteRobot(ex.principal(), ctx(ex), ex.path("robot"));
        ok(ex, 200, Json.object());
    }

    void settings(Exchange ex) throws Exception {
        auth.settings().reload();
        ObjectNode o = Json.object();
        o.set("anonymousPull", AuthEndpoints.strings(auth.administration().anonymousPull(ex.principal())));
        ok(ex, 200, o);
    }

    void changeSettings(Exchange ex) throws Exception {
        List<String> list = JsonBody.read(ex, "anonymousPull").strings("anonymousPull", "a list of repository"
                + " patterns under scanned/ (empty to turn anonymous pull off)");
        auth.administration().setAnonymousPull(ex.principal(), ctx(ex), list);
        ObjectNode o = Json.object();
        o.set("anonymousPull", AuthEndpoints.strings(list));
        ok(ex, 200, o);
    }

    void rotateKeys(Exchange ex) throws Exception {
        auth.administration().rotateSigningKey(ex.principal(), ctx(ex));
        ObjectNode o = Json.object();
        o.put("keys", auth.keys().publicKeys().getKeys().size());
        ok(ex, 200, o);
    }

    /**
     * Removes the bytes of blobs nothing links or refers to ({@code ?grace=1h} by default: younger blobs are left alone,
     * {@code ?dryRun=true} only reports).
     */
    void collectGarbage(Exchange ex) throws Exception {
        Duration grace;
        try {
            grace = ex.query("grace").map(g -> ConfigLoader.duration(g, "grace")).orElse(DEFAULT_GRACE);
        } catch (ConfigLoader.ConfigException e) {
            throw new AuthException(AuthException.Reason.INVALID, e.getMessage());
        }
        boolean dryRun = ex.query("dryRun").map("true"::equalsIgnoreCase).orElse(false);
        Registry.GarbageReport r = auth.administration().maintain(ex.principal(), ctx(ex), "registry.gc",
                "grace " + grace + (dryRun ? ", dry run" : ""), () -> registry.collectGarbage(grace, dryRun));
        mappedBlobs.forgetDeleted();
        ObjectNode o = Json.object();
        o.put("examined", r.examined());
        o.put("removed", r.removed());
        o.put("bytesRemoved", r.bytesRemoved());
        o.put("dryRun", r.dryRun());
        ok(ex, 200, o);
    }

    void logout(Exchange ex) throws Exception {
        ObjectNode o = Json.object();
        o.put("revoked", auth.administration().revokeTokens(ex.principal(), ctx(ex)));
        ok(ex, 200, o);
    }

    private void requireAuditReader(Principal p) {
        if (!auth.policy().readsAudit(p)) {
            throw new AuthException(AuthException.Reason.FORBIDDEN, "reading the audit log needs the admin,"
                    + " security or auditor role");
        }
    }

    void audit(Exchange ex) throws Exception {
        requireAuditReader(ex.principal());
        AuditQuery q = new AuditQuery(ex.query("actor"), ex.query("team"), ex.query("repo"), ex.query("action"),
                ex.query("since").map(ManagementEndpoints::instant), ex.query("until").map(ManagementEndpoints::instant),
                ex.query("after").map(ManagementEndpoints::number).orElse(0L),
                Math.toIntExact(Math.clamp(ex.query("limit").map(ManagementEndpoints::number).orElse(1000L), 1,
                        AuditQuery.MAX_LIMIT)));
        List<AuditEntry> entries = auth.audit().query(q);
        if (ex.query("format").map("jsonl"::equals).orElse(false)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (AuditEntry e : entries) {
                out.write(Json.write(e.toJson()));
                out.write('\n');
            }
            ex.status(200).send("application/jsonl", out.toByteArray());
            return;
        }
        ObjectNode o = Json.object();
        ArrayNode array = o.putArray("entries");
        entries.forEach(e -> array.add(e.toJson()));
        ok(ex, 200, o);
    }

    void auditExport(Exchange ex) throws Exception {
        requireAuditReader(ex.principal());
        ex.status(200).sendStreaming("application/jsonl", auth.audit()::export);
    }

    void auditVerify(Exchange ex) throws Exception {
        requireAuditReader(ex.principal());
        AuditVerifier.Report r = auth.audit().verify();
        ObjectNode o = Json.object();
        o.put("intact", r.intact());
        o.put("entries", r.entries());
        o.put("checkpoints", r.checkpoints());
        o.put("anchoredThrough", r.anchoredThrough());
        o.put("lastSeq", r.lastSeq());
        ArrayNode problems = o.putArray("problems");
        for (AuditVerifier.Problem p : r.problems()) {
            ObjectNode n = problems.addObject();
            n.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
            n.put("seq", p.seq());
            n.put("message", p.message());
        }
        ok(ex, 200, o);
    }

    /** The signed head (latest checkpoint), for a third party to keep and later give to audit verify --head. */
    void auditHead(Exchange ex) throws Exception {
        requireAuditReader(ex.principal());
        auth.audit().checkpoint();
        ok(ex, 200, auth.audit().head().orElseThrow(() -> new AuthException(AuthException.Reason.NOT_FOUND,
                "the audit log is empty: there is no head to sign yet")).toJson());
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AuthException(AuthException.Reason.INVALID, "'" + text + "' is not a UTC time such as"
                    + " 2026-01-31T12:00:00Z");
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new AuthException(AuthException.Reason.INVALID, "'" + text + "' is not a whole number");
        }
    }
}
