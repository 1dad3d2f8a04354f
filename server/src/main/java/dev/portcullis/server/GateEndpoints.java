package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.Principal;
import dev.portcullis.gate.EventType;
import dev.portcullis.gate.ExceptionRequest;
import dev.portcullis.gate.Gate;
import dev.portcullis.gate.GateException;
import dev.portcullis.gate.GateImage;
import dev.portcullis.gate.ImageState;
import dev.portcullis.gate.Job;
import dev.portcullis.gate.PolicyVersion;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDiff;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.Rule;
import dev.portcullis.report.JsonReport;
import dev.portcullis.report.ReportFormat;
import dev.portcullis.report.VerdictReport;
import dev.portcullis.storage.EventOutbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The gate's API ({@link GateRoutes}): translates HTTP to {@link Gate} calls and the gate's values to JSON. Reads are
 * narrowed to the teams the caller may read ({@link GateAccess}); changes are authorized and audited by the gate.
 */
final class GateEndpoints {
    private static final int MAX_BODY = 512 * 1024;
    /** The longest one request is held waiting for a verdict; clients ask again. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final int MAX_LIST = 1000;

    private final Gate gate;
    private final Clients clients;
    private final java.time.Clock clock;
    private final byte[] openApi;

    GateEndpoints(Gate gate, Clients clients, java.time.Clock clock) {
        this.gate = gate;
        this.clients = clients;
        this.clock = clock;
        try (InputStream in = GateEndpoints.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document is missing from the server jar", e);
        }
    }

    List<Route> routes() {
        return GateRoutes.of(this).stream().map(GateRoutes.Entry::route).toList();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static GateException invalid(String message) {
        return new GateException(GateException.Reason.INVALID, message);
    }

    private static void ok(Exchange ex, int status, JsonNode body) throws IOException {
        ex.header("Cache-Control", "no-store").status(status).sendJson(Json.write(body));
    }

    /** A JSON object body with only the named fields (an unknown field is an error, not silently ignored). */
    private static JsonNode body(Exchange ex, Set<String> fields) throws IOException {
        JsonNode node;
        try {
            node = Json.parse(ex.bodyBytes(MAX_BODY));
        } catch (Json.JsonFormatException e) {
            throw invalid("the request body is not valid JSON: " + e.getMessage());
        } catch (Exchange.BodyTooLargeException e) {
            throw invalid("the request body exceeds " + MAX_BODY + " bytes");
        }
        if (!node.isObject()) {
            throw invalid("the request body must be a JSON object");
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw invalid("unknown field '" + f + "'; the fields are " + fields.stream().sorted().toList());
            }
        }
        return node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw invalid("field '" + field + "' is required (a non-empty string)");
        }
        return n.asText();
    }

    private static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw invalid("field '" + field + "' must be a string");
        }
        return n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText());
    }

    private static Instant instant(String text, String field) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(field + " '" + text + "' is not a UTC time such as 2027-01-31T00:00:00Z");
        }
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid("'" + text + "' is not a digest such as sha256:<64 hex digits>");
        }
    }

    private static int limit(Exchange ex) {
        try {
            return Math.clamp(ex.query("limit").map(Integer::parseInt).orElse(MAX_LIST), 1, MAX_LIST);
        } catch (NumberFormatException e) {
            throw invalid("limit is a whole number");
        }
    }

    /** The unscanned/ repository a path names: a scanned/ name means the repository it was promoted from. */
    private static RepositoryName repository(Exchange ex) {
        RepositoryName name;
        try {
            name = RepositoryName.of(ex.path("name"));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        return switch (Namespace.of(name).kind()) {
            case UNSCANNED -> name;
            case SCANNED -> Namespace.unscannedOf(name);
            case OTHER -> throw invalid(name + " is not gated: the gate judges images pushed to"
                    + " unscanned/<team>/<repository>");
        };
    }

    private GateImage image(Exchange ex, RepositoryName repository, String reference) {
        // Checked before the lookup, so a caller learns nothing about another team's images, not even if they exist.
        GateAccess.requireReads(ex.principal(), Namespace.of(repository).team().orElse(""));
        GateImage image = gate.image(repository, reference).orElseThrow(() -> new GateException(
                GateException.Reason.NOT_FOUND, repository + " has no image " + reference
                        + "; push it there first"));
        GateAccess.requireReads(ex.principal(), image.team());
        return image;
    }

    private static Owner owner(Exchange ex) {
        try {
            return Owner.ofKey(ex.path("owner"));
        } catch (IllegalArgumentException e) {
            throw invalid("a policy owner is 'organisation' or 'team:<name>', not '" + ex.path("owner") + "'");
        }
    }

    private static void requireReadsPolicy(Exchange ex, Owner owner) {
        // The organisation's policy binds everyone, so everyone who reads any result may read it.
        if (!owner.isOrganisation()) {
            GateAccess.requireReads(ex.principal(), owner.team());
        }
    }

    private static PolicyDocument document(String yaml, String source) {
        try {
            return PolicyDocuments.parse(yaml, source);
        } catch (PolicyException e) {
            throw invalid(e.getMessage());
        }
    }

    // ---- the API description ---------------------------------------------------------------------------------

    void openApi(Exchange ex) throws IOException {
        ex.status(200).sendJson(openApi);
    }

    // ---- images ----------------------------------------------------------------------------------------------

    void images(Exchange ex) throws IOException {
        Optional<ImageState> state;
        try {
            state = ex.query("state").map(ImageState::ofId);
        } catch (IllegalArgumentException e) {
            throw invalid("state is queued, scanning, promoted, rejected or error");
        }
        Optional<String> team = ex.query("team");
        team.ifPresent(t -> GateAccess.requireReads(ex.principal(), t));
        ObjectNode o = Json.object();
        ArrayNode images = o.putArray("images");
        for (GateImage i : gate.images(team, state, 0, limit(ex))) {
            if (GateAccess.readsTeam(ex.principal(), i.team())) {
                images.add(imageJson(i));
            }
        }
        ok(ex, 200, o);
    }

    void image(Exchange ex) throws Exception {
        RepositoryName repository = repository(ex);
        String reference = ex.path("reference");
        Optional<Duration> wait = ex.query("wait").map(w -> {
            try {
                return ConfigLoader.duration(w, "wait");
            } catch (ConfigLoader.ConfigException e) {
                throw invalid(e.getMessage());
            }
        });
        GateImage image = image(ex, repository, reference);
        if (wait.isPresent() && !image.state().isFinal()) {
            Duration d = wait.get().compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.get();
            image = gate.awaitVerdict(repository, reference, d).orElse(image);
        }
        ok(ex, 200, imageJson(image));
    }

    private static String apiPath(GateImage i) {
        return "/api/v1/repositories/" + i.repository() + "/images/" + i.digest();
    }

    private static ObjectNode imageJson(GateImage i) {
        ObjectNode n = Json.object();
        n.put("repository", i.repository().toString());
        n.put("digest", i.digest().toString());
        n.put("team", i.team());
        n.put("index", i.index());
        n.put("state", i.state().id());
        i.platform().ifPresent(p -> n.put("platform", p));
        ArrayNode tags = n.putArray("tags");
        i.tags().forEach(tags::add);
        if (i.index()) {
            ArrayNode children = n.putArray("children");
            for (GateImage.Child c : i.children()) {
                ObjectNode k = children.addObject();
                k.put("digest", c.digest().toString());
                k.put("platform", c.platform());
                k.put("state", c.state().id());
            }
        }
        i.error().ifPresent(e -> n.put("error", e));
        i.judgedAt().ifPresent(t -> n.put("judgedAt", t.toString()));
        n.put("updatedAt", i.updatedAt().toString());
        i.scanner().ifPresent(s -> n.put("scanner", s));
        i.databaseSnapshot().ifPresent(s -> n.put("databaseSnapshot", s));
        if (i.verdict().isPresent()) {
            n.set("verdict", JsonReport.verdict(i.verdict().get()));
        } else {
            n.putNull("verdict");
        }
        ObjectNode links = n.putObject("links");
        String self = apiPath(i);
        links.put("self", self);
        if (i.verdict().isPresent() && i.subject().isPresent()) {
            links.put("findings", self + "/findings");
            for (ReportFormat f : ReportFormat.values()) {
                links.put(f.name().toLowerCase(Locale.ROOT), self + "/report." + f.extension());
            }
        }
        return n;
    }

    private static VerdictReport report(GateImage i, String reference) {
        if (i.verdict().isEmpty() || i.subject().isEmpty()) {
            throw new GateException(GateException.Reason.NOT_FOUND, i.repository() + "@" + i.digest() + " has no"
                    + " verdict of its own (" + (i.index() ? "an index is judged per platform: see its children"
                    : "it is " + i.state().id()) + ")");
        }
        String tag = reference.contains(":") ? i.tags().stream().findFirst().orElse(null) : reference;
        VerdictReport.Provenance provenance = new VerdictReport.Provenance(i.scanner().orElse(""), "");
        return new VerdictReport(i.repository().toString(), tag, i.digest(), i.state().id(), i.subject().get(),
                i.verdict().get(), provenance, VerdictReport.layersOf(i.subject().get()));
    }

    void findings(Exchange ex) throws IOException {
        GateImage i = image(ex, repository(ex), ex.path("reference"));
        ObjectNode o = Json.object();
        o.set("findings", JsonReport.findings(report(i, ex.path("reference"))));
        ok(ex, 200, o);
    }

    void report(Exchange ex) throws IOException {
        ReportFormat format = ReportFormat.ofExtension(ex.path("format")).orElseThrow(() -> new GateException(
                GateException.Reason.NOT_FOUND, "reports are report.json, report.sarif, report.junit.xml and"
                        + " report.html, not report." + ex.path("format")));
        GateImage i = image(ex, repository(ex), ex.path("reference"));
        byte[] body = format.render(report(i, ex.path("reference")));
        ex.header("Cache-Control", "no-store");
        if (format == ReportFormat.HTML) {
            // The page is served from the API's origin: it may not run anything even if escaping ever failed.
            ex.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        }
        ex.status(200).send(format.mediaType(), body);
    }

    // ---- policies --------------------------------------------------------------------------------------------

    private static ObjectNode policyJson(PolicyVersion v, boolean withYaml) {
        ObjectNode n = Json.object();
        n.put("owner", v.document().owner().key());
        n.put("version", v.document().version());
        n.put("author", v.author());
        n.put("createdAt", v.createdAt().toString());
        if (v.previousVersion().isPresent()) {
            n.put("previousVersion", v.previousVersion().get());
        } else {
            n.putNull("previousVersion");
        }
        n.put("rules", v.document().rules().size());
        if (withYaml) {
            n.put("yaml", PolicyDocuments.write(v.document()));
        }
        return n;
    }

    void policies(Exchange ex) throws IOException {
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("policies");
        for (Owner owner : gate.policyOwners()) {
            if (owner.isOrganisation() || GateAccess.readsTeam(ex.principal(), owner.team())) {
                gate.policy(owner).ifPresent(v -> list.add(policyJson(v, false)));
            }
        }
        ok(ex, 200, o);
    }

    void policy(Exchange ex) throws IOException {
        Owner owner = owner(ex);
        requireReadsPolicy(ex, owner);
        PolicyVersion v = gate.policy(owner).orElseThrow(() -> new GateException(GateException.Reason.NOT_FOUND,
                owner.key() + " has no policy; apply one with: portcullis policy apply FILE"));
        ok(ex, 200, policyJson(v, true));
    }

    void applyPolicy(Exchange ex) throws IOException {
        Owner owner = owner(ex);
        PolicyDocument doc = document(text(body(ex, Set.of("yaml")), "yaml"), owner.key());
        if (!doc.owner().equals(owner)) {
            throw invalid("the document's owner is " + doc.owner().key() + ", but it was sent to " + owner.key());
        }
        PolicyVersion v = gate.applyPolicy(doc, ex.principal(), clients.context(ex));
        ok(ex, 200, policyJson(v, false));
    }

    void policyHistory(Exchange ex) throws IOException {
        Owner owner = owner(ex);
        requireReadsPolicy(ex, owner);
        ObjectNode o = Json.object();
        o.put("owner", owner.key());
        ArrayNode versions = o.putArray("versions");
        gate.policyHistory(owner).forEach(v -> versions.add(policyJson(v, false)));
        ok(ex, 200, o);
    }

    private PolicyVersion version(Owner owner, String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("a policy version is a whole number, not '" + text + "'");
        }
        return gate.policyVersion(owner, n).orElseThrow(() -> new GateException(GateException.Reason.NOT_FOUND,
                owner.key() + " has no version " + n));
    }

    void policyVersion(Exchange ex) throws IOException {
        Owner owner = owner(ex);
        requireReadsPolicy(ex, owner);
        ok(ex, 200, policyJson(version(owner, ex.path("version")), true));
    }

    /** Rules added, removed and changed between two versions ({@code from} default: the one before {@code to}). */
    void policyDiff(Exchange ex) throws IOException {
        Owner owner = owner(ex);
        requireReadsPolicy(ex, owner);
        PolicyVersion to = ex.query("to").map(t -> version(owner, t)).orElseGet(() -> gate.policy(owner)
                .orElseThrow(() -> new GateException(GateException.Reason.NOT_FOUND, owner.key() + " has no policy")));
        PolicyVersion from = ex.query("from").map(f -> version(owner, f)).orElseGet(() -> to.previousVersion()
                .flatMap(p -> gate.policyVersion(owner, p)).orElseThrow(() -> invalid("version "
                        + to.document().version() + " has no previous version: give from=N")));
        Map<String, Rule> before = new LinkedHashMap<>();
        from.document().rules().forEach(r -> before.put(r.name(), r));
        Map<String, Rule> after = new LinkedHashMap<>();
        to.document().rules().forEach(r -> after.put(r.name(), r));
        ObjectNode o = Json.object();
        o.put("owner", owner.key());
        o.put("from", from.document().version());
        o.put("to", to.document().version());
        ArrayNode added = o.putArray("added");
        ArrayNode removed = o.putArray("removed");
        ArrayNode changed = o.putArray("changed");
        after.forEach((name, r) -> {
            Rule old = before.get(name);
            if (old == null) {
                added.add(ruleJson(r));
            } else if (!old.equals(r)) {
                ObjectNode c = changed.addObject();
                c.set("before", ruleJson(old));
                c.set("after", ruleJson(r));
            }
        });
        before.forEach((name, r) -> {
            if (!after.containsKey(name)) {
                removed.add(ruleJson(r));
            }
        });
        ok(ex, 200, o);
    }

    private static ObjectNode ruleJson(Rule r) {
        ObjectNode n = Json.object();
        n.put("name", r.name());
        n.put("resource", r.resource().yamlName());
        n.put("condition", r.condition());
        n.put("action", r.action().yamlName());
        n.put("message", r.message());
        return n;
    }

    void dryRun(Exchange ex) throws IOException {
        PolicyDocument doc = document(text(body(ex, Set.of("yaml")), "yaml"), "proposed");
        boolean allowed = GateAccess.isSecurity(ex.principal()) || (!doc.owner().isOrganisation()
                && ex.principal().has(doc.owner().team(), dev.portcullis.auth.Role.MAINTAINER));
        if (!allowed) {
            throw new GateException(GateException.Reason.FORBIDDEN, "a dry run of " + doc.owner().key()
                    + "'s policy needs " + GateAccess.POLICY.who());
        }
        PolicyDiff diff = gate.dryRun(doc);
        ObjectNode o = Json.object();
        o.put("owner", doc.owner().key());
        o.put("version", doc.version());
        o.put("evaluated", diff.evaluated());
        ArrayNode teams = o.putArray("teams");
        diff.changes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode t = teams.addObject();
            t.put("team", e.getKey());
            ArrayNode changes = t.putArray("changes");
            for (PolicyDiff.Change c : e.getValue()) {
                ObjectNode n = changes.addObject();
                n.put("repository", c.repository());
                if (c.tag() == null) {
                    n.putNull("tag");
                } else {
                    n.put("tag", c.tag());
                }
                n.put("digest", c.digest().toString());
                n.put("before", c.before().name().toLowerCase(Locale.ROOT));
                n.put("after", c.after().name().toLowerCase(Locale.ROOT));
                ArrayNode added = n.putArray("added");
                c.added().forEach(r -> added.add(JsonReport.reason(r)));
                ArrayNode removed = n.putArray("removed");
                c.removed().forEach(r -> removed.add(JsonReport.reason(r)));
            }
        });
        ok(ex, 200, o);
    }

    // ---- exceptions and break-glass --------------------------------------------------------------------------

    /** The team an exception's scope belongs to, for reading it; empty for the organisation and a bare digest. */
    private static String teamOf(ExceptionGrant.Scope scope) {
        return switch (scope) {
            case ExceptionGrant.Scope.Team t -> t.team();
            case ExceptionGrant.Scope.Repository r -> r.pattern().contains("/")
                    ? r.pattern().substring(0, r.pattern().indexOf('/')) : "";
            default -> "";
        };
    }

    private ObjectNode exceptionJson(ExceptionGrant g) {
        ObjectNode n = Json.object();
        n.put("id", g.id());
        n.put("advisory", g.advisory());
        n.put("scope", g.scope().describe());
        n.put("team", teamOf(g.scope()));
        if (g.purlPattern() == null) {
            n.putNull("purl");
        } else {
            n.put("purl", g.purlPattern());
        }
        n.put("reason", g.reason());
        n.put("approver", g.approver());
        n.put("ticket", g.ticket());
        n.put("createdAt", g.createdAt().toString());
        n.put("expiresAt", g.expiresAt().toString());
        if (g.revokedAt() == null) {
            n.putNull("revokedAt");
        } else {
            n.put("revokedAt", g.revokedAt().toString());
        }
        n.put("active", g.isActive(clock.instant()));
        return n;
    }

    void exceptions(Exchange ex) throws IOException {
        boolean activeOnly = booleanQuery(ex, "active", true);
        Optional<String> team = ex.query("team");
        Instant now = clock.instant();
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("exceptions");
        for (ExceptionGrant g : gate.exceptions()) {
            String t = teamOf(g.scope());
            boolean readable = g.scope() instanceof ExceptionGrant.Scope.Organisation
                    || GateAccess.readsTeam(ex.principal(), t);
            if (readable && (!activeOnly || g.isActive(now)) && team.map(t::equals).orElse(true)) {
                list.add(exceptionJson(g));
            }
        }
        ok(ex, 200, o);
    }

    void grantException(Exchange ex) throws IOException {
        JsonNode b = body(ex, Set.of("team", "advisory", "expiresAt", "reason", "ticket", "repository", "digest",
                "purl", "organisation"));
        Optional<String> team = optionalText(b, "team");
        Optional<String> repository = optionalText(b, "repository");
        Optional<String> digest = optionalText(b, "digest");
        boolean organisation = b.path("organisation").asBoolean(false);
        ExceptionGrant.Scope scope;
        if (repository.isPresent() && digest.isPresent()) {
            throw invalid("give repository or digest, not both");
        } else if (digest.isPresent()) {
            scope = ExceptionGrant.Scope.digest(digest(digest.get()));
        } else if (repository.isPresent()) {
            // A pattern below a team reads like the repositories it covers: acme/web, acme/*, acme/**.
            String p = repository.get();
            scope = ExceptionGrant.Scope.repository(team.isPresent() && !p.startsWith(team.get() + "/")
                    ? team.get() + "/" + p : p);
        } else if (team.isPresent()) {
            scope = ExceptionGrant.Scope.team(team.get());
        } else if (organisation) {
            scope = ExceptionGrant.Scope.organisation();
        } else {
            throw invalid("give the exception's scope: team (optionally narrowed by repository), digest, or"
                    + " organisation: true");
        }
        ExceptionRequest request = new ExceptionRequest(text(b, "advisory"), scope, optionalText(b, "purl")
                .orElse(null), text(b, "reason"), optionalText(b, "ticket").orElse(""),
                instant(text(b, "expiresAt"), "expiresAt"));
        ExceptionGrant g = gate.grantException(request, ex.principal(), clients.context(ex));
        ok(ex, 201, exceptionJson(g));
    }

    void revokeException(Exchange ex) throws IOException {
        ExceptionGrant g = gate.revokeException(ex.path("id"), ex.principal(), clients.context(ex));
        ok(ex, 200, exceptionJson(g));
    }

    void breakGlass(Exchange ex) throws IOException {
        JsonNode b = body(ex, Set.of("repository", "reference", "digest", "reason", "ticket", "durationSeconds"));
        JsonNode seconds = b.get("durationSeconds");
        if (seconds == null || !seconds.canConvertToLong() || seconds.asLong() <= 0) {
            throw invalid("field 'durationSeconds' is required (a positive whole number)");
        }
        Digest digest;
        Optional<String> given = optionalText(b, "digest");
        if (given.isPresent()) {
            digest = digest(given.get());
        } else {
            RepositoryName repository;
            try {
                repository = RepositoryName.of(text(b, "repository"));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            String reference = text(b, "reference");
            digest = gate.image(repository, reference).orElseThrow(() -> new GateException(
                    GateException.Reason.NOT_FOUND, repository + " has no image " + reference)).digest();
        }
        BreakGlass g = gate.breakGlass(digest, text(b, "reason"), optionalText(b, "ticket").orElse(""),
                Duration.ofSeconds(seconds.asLong()), ex.principal(), clients.context(ex));
        ok(ex, 201, breakGlassJson(g));
    }

    void breakGlasses(Exchange ex) throws IOException {
        boolean activeOnly = booleanQuery(ex, "active", true);
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("breakGlass");
        gate.breakGlasses(activeOnly).forEach(g -> list.add(breakGlassJson(g)));
        ok(ex, 200, o);
    }

    /** A {@code true}/{@code false} query parameter; anything else is the client's mistake, named. */
    private static boolean booleanQuery(Exchange ex, String name, boolean absent) {
        Optional<String> v = ex.query(name);
        if (v.isEmpty()) {
            return absent;
        }
        return switch (v.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("query parameter '" + name + "' is true or false, not '" + v.get() + "'");
        };
    }

    private ObjectNode breakGlassJson(BreakGlass g) {
        ObjectNode n = Json.object();
        n.put("digest", g.digest().toString());
        n.put("reason", g.reason());
        n.put("ticket", g.ticket());
        n.put("grantedBy", g.grantedBy());
        n.put("grantedAt", g.grantedAt().toString());
        n.put("until", g.until().toString());
        n.put("active", g.isActiveFor(g.digest(), clock.instant()));
        return n;
    }

    // ---- jobs ------------------------------------------------------------------------------------------------

    void jobs(Exchange ex) throws IOException {
        Optional<Job.State> state;
        try {
            state = ex.query("state").map(s -> Job.State.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw invalid("state is queued, running, done or error");
        }
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("jobs");
        for (Job j : gate.jobs(state, limit(ex))) {
            String team = Namespace.of(j.repository()).team().orElse("");
            if (!GateAccess.readsTeam(ex.principal(), team)) {
                continue;
            }
            ObjectNode n = list.addObject();
            n.put("id", j.id());
            n.put("repository", j.repository().toString());
            n.put("digest", j.digest().toString());
            j.tag().ifPresent(t -> n.put("tag", t));
            n.put("state", j.state().id());
            n.put("attempts", j.attempts());
            j.leaseOwner().ifPresent(l -> n.put("leaseOwner", l));
            j.leaseUntil().ifPresent(l -> n.put("leaseUntil", l.toString()));
            j.lastError().ifPresent(l -> n.put("lastError", l));
            n.put("createdAt", j.createdAt().toString());
            n.put("updatedAt", j.updatedAt().toString());
        }
        ok(ex, 200, o);
    }

    // ---- events ----------------------------------------------------------------------------------------------

    /**
     * The outbox, oldest first, after the cursor {@code after}: a page and the cursor of the next ({@code next},
     * the last id on the page, or {@code after} when none is new). A team's developers and maintainers read only
     * their teams' events; admin, security and auditor read all.
     */
    void events(Exchange ex) throws IOException {
        long after;
        try {
            after = ex.query("after").map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw invalid("after is an event id (a whole number of 0 or more), not '" + ex.query("after").orElse("")
                    + "'");
        }
        if (after < 0) {
            throw invalid("after is an event id (a whole number of 0 or more), not " + after);
        }
        int limit;
        try {
            limit = ex.query("limit").map(Integer::parseInt).orElse(MAX_LIST);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIST) {
            throw invalid("limit is a whole number from 1 to " + MAX_LIST + ", not '" + ex.query("limit").orElse("")
                    + "'");
        }
        Optional<EventType> type = ex.query("type").map(t -> EventType.ofId(t).orElseThrow(() -> invalid(
                "type '" + t + "' is not an event type; the types are " + Arrays.stream(EventType.values())
                        .map(EventType::id).toList())));
        Principal p = ex.principal();
        Optional<Set<String>> teams = GateAccess.readsTeam(p, "") ? Optional.empty()
                : Optional.of(p.grants().stream().flatMap(g -> g.team().stream())
                        .filter(t -> GateAccess.readsTeam(p, t)).collect(Collectors.toCollection(TreeSet::new)));
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("events");
        long next = after;
        for (EventOutbox.Event e : gate.events(after, limit, type, teams)) {
            ObjectNode n = list.addObject();
            n.put("id", e.id());
            n.put("type", e.type());
            n.put("time", e.createdAt().toString());
            if (!e.team().isEmpty()) {
                n.put("team", e.team());
            }
            e.repository().ifPresent(r -> n.put("repository", r.value()));
            e.tag().ifPresent(t -> n.put("tag", t));
            e.digest().ifPresent(d -> n.put("digest", d.toString()));
            n.set("data", e.data());
            next = e.id();
        }
        o.put("next", next);
        ok(ex, 200, o);
    }
}
