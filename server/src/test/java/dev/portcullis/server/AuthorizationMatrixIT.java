package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Identities;
import dev.portcullis.auth.Role;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role × every registry and management endpoint × every namespace kind, against the real server through the
 * real token flow. {@code Y}: the request gets past authorization; {@code N}: refused with 403 DENIED, or 401 for
 * the anonymous caller. The acting team is {@code acme}; {@code own-*} namespaces belong to it, {@code other-*} to
 * team {@code other}. {@code logout} stays the last row: it revokes the callers' refresh tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {
    private static final List<String> ROLES = List.of("admin", "security", "auditor", "maintainer", "developer",
            "reader", "robot", "anonymous");

    private static final String MATRIX = """
            # unscanned/ is pulled by the team's developers, maintainers and robots and by security, not by admins
            # endpoint        namespace        adm sec aud mnt dev rdr bot anon
            base              -                Y   Y   Y   Y   Y   Y   Y   N
            catalog           -                Y   Y   Y   N   N   N   N   N
            pull-manifest     own-unscanned    N   Y   N   Y   Y   N   Y   N
            pull-manifest     other-unscanned  N   Y   N   N   N   N   N   N
            pull-manifest     own-scanned      Y   Y   N   Y   Y   Y   Y   N
            pull-manifest     other-scanned    Y   Y   N   N   N   N   N   N
            head-blob         own-unscanned    N   Y   N   Y   Y   N   Y   N
            head-blob         other-unscanned  N   Y   N   N   N   N   N   N
            head-blob         own-scanned      Y   Y   N   Y   Y   Y   Y   N
            head-blob         other-scanned    Y   Y   N   N   N   N   N   N
            tags              own-unscanned    N   Y   N   Y   Y   N   Y   N
            tags              other-unscanned  N   Y   N   N   N   N   N   N
            tags              own-scanned      Y   Y   N   Y   Y   Y   Y   N
            tags              other-scanned    Y   Y   N   N   N   N   N   N
            referrers         own-unscanned    N   Y   N   Y   Y   N   Y   N
            referrers         other-unscanned  N   Y   N   N   N   N   N   N
            referrers         own-scanned      Y   Y   N   Y   Y   Y   Y   N
            referrers         other-scanned    Y   Y   N   N   N   N   N   N
            start-upload      own-unscanned    N   N   N   Y   Y   N   Y   N
            start-upload      other-unscanned  N   N   N   N   N   N   N   N
            start-upload      own-scanned      N   N   N   N   N   N   N   N
            start-upload      other-scanned    N   N   N   N   N   N   N   N
            upload-status     own-unscanned    N   N   N   Y   Y   N   Y   N
            upload-status     other-unscanned  N   N   N   N   N   N   N   N
            upload-status     own-scanned      N   N   N   N   N   N   N   N
            upload-status     other-scanned    N   N   N   N   N   N   N   N
            upload-chunk      own-unscanned    N   N   N   Y   Y   N   Y   N
            upload-chunk      other-unscanned  N   N   N   N   N   N   N   N
            upload-chunk      own-scanned      N   N   N   N   N   N   N   N
            upload-chunk      other-scanned    N   N   N   N   N   N   N   N
            upload-complete   own-unscanned    N   N   N   Y   Y   N   Y   N
            upload-complete   other-unscanned  N   N   N   N   N   N   N   N
            upload-complete   own-scanned      N   N   N   N   N   N   N   N
            upload-complete   other-scanned    N   N   N   N   N   N   N   N
            upload-cancel     own-unscanned    N   N   N   Y   Y   N   Y   N
            upload-cancel     other-unscanned  N   N   N   N   N   N   N   N
            upload-cancel     own-scanned      N   N   N   N   N   N   N   N
            upload-cancel     other-scanned    N   N   N   N   N   N   N   N
            mount-from        own-unscanned    N   N   N   Y   Y   N   Y   N
            mount-from        other-unscanned  N   N   N   N   N   N   N   N
            mount-from        own-scanned      N   N   N   Y   Y   N   Y   N
            mount-from        other-scanned    N   N   N   N   N   N   N   N
            push-manifest     own-unscanned    N   N   N   Y   Y   N   Y   N
            push-manifest     other-unscanned  N   N   N   N   N   N   N   N
            push-manifest     own-scanned      N   N   N   N   N   N   N   N
            push-manifest     other-scanned    N   N   N   N   N   N   N   N
            delete-manifest   own-unscanned    N   N   N   Y   N   N   N   N
            delete-manifest   other-unscanned  N   N   N   N   N   N   N   N
            delete-manifest   own-scanned      N   N   N   N   N   N   N   N
            delete-manifest   other-scanned    N   N   N   N   N   N   N   N
            delete-blob       own-unscanned    N   N   N   Y   N   N   N   N
            delete-blob       other-unscanned  N   N   N   N   N   N   N   N
            delete-blob       own-scanned      N   N   N   N   N   N   N   N
            delete-blob       other-scanned    N   N   N   N   N   N   N   N
            whoami            -                Y   Y   Y   Y   Y   Y   Y   N
            list-teams        -                Y   Y   Y   N   N   N   N   N
            create-team       -                Y   N   N   N   N   N   N   N
            list-users        -                Y   Y   Y   N   N   N   N   N
            add-user          own-team         Y   N   N   Y   N   N   N   N
            add-user          other-team       Y   N   N   N   N   N   N   N
            grant-role        own-team         Y   N   N   Y   N   N   N   N
            grant-role        other-team       Y   N   N   N   N   N   N   N
            revoke-role       own-team         Y   N   N   Y   N   N   N   N
            revoke-role       other-team       Y   N   N   N   N   N   N   N
            set-password      other-user       Y   N   N   N   N   N   N   N
            disable-user      -                Y   N   N   N   N   N   N   N
            add-robot         own-team         Y   N   N   Y   N   N   N   N
            add-robot         other-team       Y   N   N   N   N   N   N   N
            delete-robot      own-team         Y   N   N   Y   N   N   N   N
            delete-robot      other-team       Y   N   N   N   N   N   N   N
            list-robots       -                Y   Y   Y   Y   N   N   N   N
            get-settings      -                Y   Y   Y   N   N   N   N   N
            change-settings   -                Y   N   N   N   N   N   N   N
            rotate-keys       -                Y   N   N   N   N   N   N   N
            collect-garbage   -                Y   N   N   N   N   N   N   N
            audit-query       -                Y   Y   Y   N   N   N   N   N
            audit-export      -                Y   Y   Y   N   N   N   N   N
            audit-verify      -                Y   Y   Y   N   N   N   N   N
            audit-head        -                Y   Y   Y   N   N   N   N   N
            openapi           -                Y   Y   Y   Y   Y   Y   Y   Y
            list-images       -                Y   Y   Y   Y   Y   Y   Y   N
            get-image         own-unscanned    Y   Y   Y   Y   Y   N   Y   N
            get-image         other-unscanned  Y   Y   Y   N   N   N   N   N
            get-image         own-scanned      Y   Y   Y   Y   Y   N   Y   N
            findings          own-unscanned    Y   Y   Y   Y   Y   N   Y   N
            findings          other-unscanned  Y   Y   Y   N   N   N   N   N
            report            own-unscanned    Y   Y   Y   Y   Y   N   Y   N
            report            other-unscanned  Y   Y   Y   N   N   N   N   N
            list-policies     -                Y   Y   Y   Y   Y   Y   Y   N
            get-policy        -                Y   Y   Y   Y   Y   Y   Y   N
            get-policy        own-team         Y   Y   Y   Y   Y   N   Y   N
            get-policy        other-team       Y   Y   Y   N   N   N   N   N
            policy-history    own-team         Y   Y   Y   Y   Y   N   Y   N
            policy-history    other-team       Y   Y   Y   N   N   N   N   N
            policy-version    own-team         Y   Y   Y   Y   Y   N   Y   N
            policy-version    other-team       Y   Y   Y   N   N   N   N   N
            policy-diff       own-team         Y   Y   Y   Y   Y   N   Y   N
            policy-diff       other-team       Y   Y   Y   N   N   N   N   N
            apply-policy      -                N   Y   N   N   N   N   N   N
            apply-policy      own-team         N   Y   N   Y   N   N   N   N
            apply-policy      other-team       N   Y   N   N   N   N   N   N
            dry-run           -                N   Y   N   N   N   N   N   N
            dry-run           own-team         N   Y   N   Y   N   N   N   N
            dry-run           other-team       N   Y   N   N   N   N   N   N
            list-exceptions   -                Y   Y   Y   Y   Y   Y   Y   N
            grant-exception   own-team         N   Y   N   N   N   N   N   N
            grant-exception   other-team       N   Y   N   N   N   N   N   N
            revoke-exception  -                N   Y   N   Y   N   N   N   N
            break-glass       -                N   Y   N   N   N   N   N   N
            list-break-glass  -                N   Y   N   N   N   N   N   N
            list-jobs         -                Y   Y   Y   Y   Y   Y   Y   N
            list-events       -                Y   Y   Y   Y   Y   Y   Y   N
            logout            -                Y   Y   Y   Y   Y   Y   Y   N
            """;

    /** The routes each matrix row exercises; together they must be every registry and management route. */
    private static final Map<String, List<String>> ROUTES = Map.ofEntries(
            Map.entry("base", List.of("GET /v2/")),
            Map.entry("catalog", List.of("GET /v2/_catalog")),
            Map.entry("pull-manifest", List.of("GET /v2/{name}/manifests/{reference}",
                    "HEAD /v2/{name}/manifests/{reference}")),
            Map.entry("head-blob", List.of("HEAD /v2/{name}/blobs/{digest}", "GET /v2/{name}/blobs/{digest}")),
            Map.entry("tags", List.of("GET /v2/{name}/tags/list")),
            Map.entry("referrers", List.of("GET /v2/{name}/referrers/{digest}")),
            Map.entry("start-upload", List.of("POST /v2/{name}/blobs/uploads/")),
            Map.entry("upload-status", List.of("GET /v2/{name}/blobs/uploads/{uuid}")),
            Map.entry("upload-chunk", List.of("PATCH /v2/{name}/blobs/uploads/{uuid}")),
            Map.entry("upload-complete", List.of("PUT /v2/{name}/blobs/uploads/{uuid}")),
            Map.entry("upload-cancel", List.of("DELETE /v2/{name}/blobs/uploads/{uuid}")),
            Map.entry("mount-from", List.of("POST /v2/{name}/blobs/uploads/")),
            Map.entry("push-manifest", List.of("PUT /v2/{name}/manifests/{reference}")),
            Map.entry("delete-manifest", List.of("DELETE /v2/{name}/manifests/{reference}")),
            Map.entry("delete-blob", List.of("DELETE /v2/{name}/blobs/{digest}")),
            Map.entry("whoami", List.of("GET /api/v1/whoami")),
            Map.entry("list-teams", List.of("GET /api/v1/teams")),
            Map.entry("create-team", List.of("POST /api/v1/teams")),
            Map.entry("list-users", List.of("GET /api/v1/users")),
            Map.entry("add-user", List.of("POST /api/v1/users")),
            Map.entry("grant-role", List.of("POST /api/v1/users/{user}/roles")),
            Map.entry("revoke-role", List.of("DELETE /api/v1/users/{user}/roles")),
            Map.entry("set-password", List.of("PUT /api/v1/users/{user}/password")),
            Map.entry("disable-user", List.of("POST /api/v1/users/{user}/disable")),
            Map.entry("add-robot", List.of("POST /api/v1/robots")),
            Map.entry("delete-robot", List.of("DELETE /api/v1/robots/{robot}")),
            Map.entry("list-robots", List.of("GET /api/v1/robots")),
            Map.entry("get-settings", List.of("GET /api/v1/settings")),
            Map.entry("change-settings", List.of("PUT /api/v1/settings")),
            Map.entry("audit-query", List.of("GET /api/v1/audit")),
            Map.entry("audit-export", List.of("GET /api/v1/audit/export")),
            Map.entry("audit-verify", List.of("GET /api/v1/audit/verify")),
            Map.entry("audit-head", List.of("GET /api/v1/audit/head")),
            Map.entry("rotate-keys", List.of("POST /api/v1/keys/rotate")),
            Map.entry("collect-garbage", List.of("POST /api/v1/gc")),
            Map.entry("logout", List.of("POST /api/v1/logout")),
            Map.entry("openapi", List.of("GET /api/v1/openapi.json")),
            Map.entry("list-images", List.of("GET /api/v1/images")),
            Map.entry("get-image", List.of("GET /api/v1/repositories/{name}/images/{reference}")),
            Map.entry("findings", List.of("GET /api/v1/repositories/{name}/images/{reference}/findings")),
            Map.entry("report", List.of("GET /api/v1/repositories/{name}/images/{reference}/report.{format}")),
            Map.entry("list-policies", List.of("GET /api/v1/policies")),
            Map.entry("get-policy", List.of("GET /api/v1/policies/{owner}")),
            Map.entry("policy-history", List.of("GET /api/v1/policies/{owner}/versions")),
            Map.entry("policy-version", List.of("GET /api/v1/policies/{owner}/versions/{version}")),
            Map.entry("policy-diff", List.of("GET /api/v1/policies/{owner}/diff")),
            Map.entry("apply-policy", List.of("PUT /api/v1/policies/{owner}")),
            Map.entry("dry-run", List.of("POST /api/v1/policies/dry-run")),
            Map.entry("list-exceptions", List.of("GET /api/v1/exceptions")),
            Map.entry("grant-exception", List.of("POST /api/v1/exceptions")),
            Map.entry("revoke-exception", List.of("DELETE /api/v1/exceptions/{id}")),
            Map.entry("break-glass", List.of("POST /api/v1/break-glass")),
            Map.entry("list-break-glass", List.of("GET /api/v1/break-glass")),
            Map.entry("list-jobs", List.of("GET /api/v1/jobs")),
            Map.entry("list-events", List.of("GET /api/v1/events")));

    private AuthTestServer s;
    private final Map<String, AuthTestServer.Creds> creds = new LinkedHashMap<>();
    private final AtomicInteger unique = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        s = new AuthTestServer(dir);
        s.team("acme");
        s.team("other");
        s.user("sec", Grant.global(Role.SECURITY));
        s.user("aud", Grant.global(Role.AUDITOR));
        s.user("mnt", Grant.inTeam("acme", Role.MAINTAINER));
        s.user("dev", Grant.inTeam("acme", Role.DEVELOPER));
        s.user("rdr", Grant.inTeam("acme", Role.READER));
        s.user("victim", Grant.inTeam("other", Role.READER));
        s.user("member", Grant.inTeam("acme", Role.READER));
        Identities.NewRobot robot = s.server.auth().administration().addRobot(s.admin, s.ctx(), "ci", "acme",
                Role.DEVELOPER, List.of(), Optional.empty());
        creds.put("admin", AuthTestServer.Creds.refresh(s.login("admin", AuthTestServer.ADMIN_PASSWORD)));
        creds.put("security", AuthTestServer.Creds.refresh(s.login("sec", AuthTestServer.PASSWORD)));
        creds.put("auditor", AuthTestServer.Creds.refresh(s.login("aud", AuthTestServer.PASSWORD)));
        creds.put("maintainer", AuthTestServer.Creds.refresh(s.login("mnt", AuthTestServer.PASSWORD)));
        creds.put("developer", AuthTestServer.Creds.refresh(s.login("dev", AuthTestServer.PASSWORD)));
        creds.put("reader", AuthTestServer.Creds.refresh(s.login("rdr", AuthTestServer.PASSWORD)));
        creds.put("robot", AuthTestServer.Creds.basic(robot.robot().name(), robot.secret()));
        creds.put("anonymous", AuthTestServer.Creds.NONE);
    }

    @AfterAll
    void stop() throws Exception {
        s.close();
    }

    Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        for (String line : MATRIX.strip().split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i < ROLES.size(); i++) {
                out.add(Arguments.of(f[0], f[1], ROLES.get(i), f[2 + i].equals("Y")));
            }
        }
        return out.stream();
    }

    @Test
    void theMatrixCoversEveryRouteOfTheServer() {
        List<String> rows = MATRIX.lines().filter(l -> !l.startsWith("#")).map(l -> l.trim().split("\\s+")[0])
                .distinct().toList();
        assertThat(ROUTES.keySet()).containsExactlyInAnyOrderElementsOf(rows);
        List<Route> all = new ArrayList<>(RegistryRoutes.of(new RegistryEndpoints(null, null, null, 1, null,
                ServerConfig.defaults().protection())));
        all.addAll(new ManagementEndpoints(null, null, null, null).routes());
        GateRoutes.of(new GateEndpoints(null, null, null)).forEach(e -> all.add(e.route()));
        assertThat(ROUTES.values().stream().flatMap(List::stream).distinct())
                .containsExactlyInAnyOrderElementsOf(all.stream().map(Route::id).toList());
    }

    @ParameterizedTest(name = "{2} {0} {1} -> {3}")
    @MethodSource("cells")
    void cell(String endpoint, String namespace, String role, boolean allowed) throws Exception {
        HttpResponse<String> r = request(endpoint, namespace, creds.get(role));
        if (allowed) {
            assertThat(r.statusCode()).as(r.body()).isNotIn(401, 403).isLessThan(500);
        } else {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(role.equals("anonymous") ? 401 : 403);
        }
    }

    private static String repo(String namespace) {
        return switch (namespace) {
            case "own-unscanned" -> "unscanned/acme/app";
            case "other-unscanned" -> "unscanned/other/app";
            case "own-scanned" -> "scanned/acme/app";
            case "other-scanned" -> "scanned/other/app";
            default -> throw new IllegalArgumentException(namespace);
        };
    }

    private static String team(String namespace) {
        return namespace.equals("own-team") ? "acme" : "other";
    }

    private HttpResponse<String> request(String endpoint, String ns, AuthTestServer.Creds c) throws Exception {
        String unknown = "sha256:" + "0".repeat(64);
        String json = "application/json";
        return switch (endpoint) {
            case "base" -> s.call(c, "GET", "/v2/", Optional.empty(), json);
            case "catalog" -> s.call(c, "GET", "/v2/_catalog", Optional.empty(), json);
            case "pull-manifest" -> s.call(c, "GET", "/v2/" + repo(ns) + "/manifests/v1", Optional.empty(), json);
            case "head-blob" -> s.call(c, "HEAD", "/v2/" + repo(ns) + "/blobs/" + s.configDigest, Optional.empty(),
                    json);
            case "tags" -> s.call(c, "GET", "/v2/" + repo(ns) + "/tags/list", Optional.empty(), json);
            case "referrers" -> s.call(c, "GET", "/v2/" + repo(ns) + "/referrers/" + s.manifestDigest,
                    Optional.empty(), json);
            case "start-upload" -> s.call(c, "POST", "/v2/" + repo(ns) + "/blobs/uploads/", Optional.empty(), json);
            case "upload-status" -> s.call(c, "GET", "/v2/" + repo(ns) + "/blobs/uploads/no-such-upload",
                    Optional.empty(), json);
            case "upload-chunk" -> s.call(c, "PATCH", "/v2/" + repo(ns) + "/blobs/uploads/no-such-upload",
                    body("x"), "application/octet-stream");
            case "upload-complete" -> s.call(c, "PUT", "/v2/" + repo(ns) + "/blobs/uploads/no-such-upload?digest="
                    + unknown, Optional.empty(), json);
            case "upload-cancel" -> s.call(c, "DELETE", "/v2/" + repo(ns) + "/blobs/uploads/no-such-upload",
                    Optional.empty(), json);
            case "mount-from" -> s.call(c, "POST", "/v2/unscanned/acme/mounted/blobs/uploads/?mount="
                    + s.configDigest + "&from=" + repo(ns), Optional.empty(), json);
            case "push-manifest" -> s.call(c, "PUT", "/v2/" + repo(ns) + "/manifests/v2", Optional.of(s.manifest),
                    "application/vnd.oci.image.manifest.v1+json");
            case "delete-manifest" -> s.call(c, "DELETE", "/v2/" + repo(ns) + "/manifests/" + unknown,
                    Optional.empty(), json);
            case "delete-blob" -> s.call(c, "DELETE", "/v2/" + repo(ns) + "/blobs/" + unknown, Optional.empty(),
                    json);
            case "whoami" -> s.call(c, "GET", "/api/v1/whoami", Optional.empty(), json);
            case "list-teams" -> s.call(c, "GET", "/api/v1/teams", Optional.empty(), json);
            case "create-team" -> s.call(c, "POST", "/api/v1/teams", body("{\"name\":\"t" + unique.incrementAndGet()
                    + "\"}"), json);
            case "list-users" -> s.call(c, "GET", "/api/v1/users", Optional.empty(), json);
            case "add-user" -> s.call(c, "POST", "/api/v1/users", body("{\"name\":\"u" + unique.incrementAndGet()
                    + "\",\"password\":\"" + AuthTestServer.PASSWORD + "\",\"team\":\"" + team(ns)
                    + "\",\"role\":\"developer\"}"), json);
            case "grant-role" -> s.call(c, "POST", "/api/v1/users/" + (ns.equals("own-team") ? "member" : "victim")
                    + "/roles", body("{\"team\":\"" + team(ns) + "\",\"role\":\"developer\"}"), json);
            case "revoke-role" -> s.call(c, "DELETE", "/api/v1/users/" + (ns.equals("own-team") ? "member"
                    : "victim") + "/roles?team=" + team(ns) + "&role=reader", Optional.empty(), json);
            case "set-password" -> s.call(c, "PUT", "/api/v1/users/victim/password", body("{\"password\":\""
                    + AuthTestServer.PASSWORD + "\"}"), json);
            case "disable-user" -> s.call(c, "POST", "/api/v1/users/nobody/disable", Optional.empty(), json);
            case "delete-robot" -> s.call(c, "DELETE", "/api/v1/robots/" + team(ns) + "+nobody", Optional.empty(),
                    json);
            case "rotate-keys" -> s.call(c, "POST", "/api/v1/keys/rotate", Optional.empty(), json);
            case "collect-garbage" -> s.call(c, "POST", "/api/v1/gc?dryRun=true", Optional.empty(), json);
            case "logout" -> s.call(c, "POST", "/api/v1/logout", Optional.empty(), json);
            case "add-robot" -> s.call(c, "POST", "/api/v1/robots", body("{\"name\":\"r" + unique.incrementAndGet()
                    + "\",\"team\":\"" + team(ns) + "\",\"role\":\"developer\"}"), json);
            case "list-robots" -> s.call(c, "GET", "/api/v1/robots", Optional.empty(), json);
            case "get-settings" -> s.call(c, "GET", "/api/v1/settings", Optional.empty(), json);
            case "change-settings" -> s.call(c, "PUT", "/api/v1/settings", body("{\"anonymousPull\":[]}"), json);
            case "audit-query" -> s.call(c, "GET", "/api/v1/audit?action=registry", Optional.empty(), json);
            case "audit-export" -> s.call(c, "GET", "/api/v1/audit/export", Optional.empty(), json);
            case "audit-verify" -> s.call(c, "GET", "/api/v1/audit/verify", Optional.empty(), json);
            case "audit-head" -> s.call(c, "GET", "/api/v1/audit/head", Optional.empty(), json);
            case "openapi" -> s.call(c, "GET", "/api/v1/openapi.json", Optional.empty(), json);
            case "list-images" -> s.call(c, "GET", "/api/v1/images", Optional.empty(), json);
            case "get-image" -> s.call(c, "GET", "/api/v1/repositories/" + repo(ns) + "/images/v1", Optional.empty(),
                    json);
            case "findings" -> s.call(c, "GET", "/api/v1/repositories/" + repo(ns) + "/images/v1/findings",
                    Optional.empty(), json);
            case "report" -> s.call(c, "GET", "/api/v1/repositories/" + repo(ns) + "/images/v1/report.html",
                    Optional.empty(), json);
            case "list-policies" -> s.call(c, "GET", "/api/v1/policies", Optional.empty(), json);
            case "get-policy" -> s.call(c, "GET", "/api/v1/policies/" + owner(ns), Optional.empty(), json);
            case "policy-history" -> s.call(c, "GET", "/api/v1/policies/" + owner(ns) + "/versions", Optional.empty(),
                    json);
            case "policy-version" -> s.call(c, "GET", "/api/v1/policies/" + owner(ns) + "/versions/1",
                    Optional.empty(), json);
            case "policy-diff" -> s.call(c, "GET", "/api/v1/policies/" + owner(ns) + "/diff?from=1&to=1",
                    Optional.empty(), json);
            case "apply-policy" -> s.call(c, "PUT", "/api/v1/policies/" + owner(ns), yaml(ns, 1), json);
            case "dry-run" -> s.call(c, "POST", "/api/v1/policies/dry-run", yaml(ns, 1), json);
            case "list-exceptions" -> s.call(c, "GET", "/api/v1/exceptions", Optional.empty(), json);
            case "grant-exception" -> s.call(c, "POST", "/api/v1/exceptions", body("{\"team\":\"" + team(ns)
                    + "\",\"advisory\":\"CVE-2024-1234\",\"expiresAt\":\""
                    + java.time.Instant.now().plus(java.time.Duration.ofDays(5)).truncatedTo(
                            java.time.temporal.ChronoUnit.SECONDS)
                    + "\",\"reason\":\"matrix\",\"ticket\":\"SEC-1\"}"), json);
            case "revoke-exception" -> s.call(c, "DELETE", "/api/v1/exceptions/exc-none", Optional.empty(), json);
            case "break-glass" -> s.call(c, "POST", "/api/v1/break-glass", body("{\"repository\":"
                    + "\"unscanned/acme/app\",\"reference\":\"nothing\",\"reason\":\"matrix\","
                    + "\"durationSeconds\":60}"), json);
            case "list-break-glass" -> s.call(c, "GET", "/api/v1/break-glass", Optional.empty(), json);
            case "list-jobs" -> s.call(c, "GET", "/api/v1/jobs", Optional.empty(), json);
            case "list-events" -> s.call(c, "GET", "/api/v1/events", Optional.empty(), json);
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    /** The policy owner of a namespace column: the organisation for '-', else a team. */
    private static String owner(String namespace) {
        return namespace.equals("-") ? "organisation" : "team:" + team(namespace);
    }

    /** A valid document for the owner (the organisation's passes validation and then fails its version check). */
    private static Optional<byte[]> yaml(String namespace, int version) {
        String owner = namespace.equals("-") ? "organisation" : "\n  team: " + team(namespace);
        String doc = "owner: " + owner + "\nversion: " + version + "\nrules:\n  - name: matrix-" + team(namespace)
                + "\n    resource: image\n    condition: \"false\"\n    action: warn\n    message: matrix\n";
        return Optional.of(dev.portcullis.oci.Json.write(dev.portcullis.oci.Json.object().put("yaml", doc)));
    }

    private static Optional<byte[]> body(String json) {
        return Optional.of(json.getBytes(StandardCharsets.UTF_8));
    }
}
