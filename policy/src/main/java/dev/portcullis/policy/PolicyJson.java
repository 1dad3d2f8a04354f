package dev.portcullis.policy;

import static dev.portcullis.policy.JsonFields.array;
import static dev.portcullis.policy.JsonFields.putIfKnown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Json.JsonFormatException;
import dev.portcullis.policy.model.ConfigFacts;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.OsFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import dev.portcullis.policy.model.UnevaluableReason;
import dev.portcullis.policy.model.UnreadableFacts;
import java.util.List;
import java.util.Locale;

/**
 * The JSON forms of subjects, documents, verdicts, exceptions and break-glass (the schema is in
 * {@code docs/policy.md}; field names are the records' component names). Written and read through Jackson's tree
 * model, field by field, like every codec of Portcullis: no data binding over our types. Unknown values (nulls) are
 * left out when writing; reading takes an absent field and {@code null} alike. Reading throws
 * {@link JsonFormatException} naming the first field that is wrong ({@code findings[3].severity}).
 */
public final class PolicyJson {
    private PolicyJson() {
    }

    // subject

    public static JsonNode subject(Subject s) {
        ObjectNode o = Json.object();
        o.set("image", image(s.image()));
        ArrayNode packages = o.putArray("packages");
        for (PackageFacts p : s.packages()) {
            ObjectNode n = packages.addObject().put("purl", p.purl()).put("ecosystem", p.ecosystem())
                    .put("name", p.name()).put("version", p.version());
            putIfKnown(n, "layerDigest", p.layerDigest());
            n.put("layerCreatedBy", p.layerCreatedBy()).put("path", p.path());
            putIfKnown(n, "licence", p.licence());
            n.put("firstParty", p.firstParty());
        }
        ArrayNode findings = o.putArray("findings");
        for (FindingFacts f : s.findings()) {
            ObjectNode n = findings.addObject().put("id", f.id());
            n.set("aliases", array(f.aliases()));
            n.put("severity", f.severity().name());
            putIfKnown(n, "cvssScore", f.cvssScore());
            putIfKnown(n, "cvssVector", f.cvssVector());
            n.put("fixAvailable", f.fixAvailable());
            n.set("fixedVersions", array(f.fixedVersions()));
            putIfKnown(n, "published", f.published());
            n.put("packagePurl", f.packagePurl()).put("packageName", f.packageName())
                    .put("packageVersion", f.packageVersion());
            putIfKnown(n, "layerDigest", f.layerDigest());
            n.put("layerCreatedBy", f.layerCreatedBy()).put("feed", f.feed());
        }
        ArrayNode misconfigurations = o.putArray("misconfigurations");
        for (MisconfigFacts m : s.misconfigurations()) {
            misconfigurations.addObject().put("id", m.id()).put("severity", m.severity().name())
                    .put("title", m.title()).put("where", m.where());
        }
        ArrayNode secrets = o.putArray("secrets");
        for (SecretFacts x : s.secrets()) {
            ObjectNode n = secrets.addObject().put("ruleId", x.ruleId()).put("severity", x.severity().name())
                    .put("title", x.title());
            putIfKnown(n, "layerDigest", x.layerDigest());
            n.put("path", x.path()).put("line", x.line());
        }
        ArrayNode unevaluable = o.putArray("unevaluable");
        for (UnevaluableFacts u : s.unevaluable()) {
            unevaluable.addObject().put("packagePurl", u.packagePurl()).put("packageName", u.packageName())
                    .put("packageVersion", u.packageVersion()).put("reason", u.reason().name())
                    .put("firstParty", u.firstParty());
        }
        ObjectNode db = o.putObject("database").put("present", s.database().present())
                .put("snapshot", s.database().snapshot());
        putIfKnown(db, "importedAt", s.database().importedAt());
        return o;
    }

    private static ObjectNode image(ImageFacts i) {
        ObjectNode o = Json.object().put("repository", i.repository()).put("team", i.team());
        putIfKnown(o, "tag", i.tag());
        o.put("digest", i.digest().toString()).put("platform", i.platform());
        ObjectNode labels = o.putObject("labels");
        i.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> labels.put(e.getKey(), e.getValue()));
        ObjectNode config = o.putObject("config").put("user", i.config().user());
        config.set("entrypoint", array(i.config().entrypoint()));
        config.set("cmd", array(i.config().cmd()));
        config.set("exposedPorts", array(i.config().exposedPorts()));
        config.set("envNames", array(i.config().envNames()));
        putIfKnown(o, "created", i.created());
        ObjectNode os = o.putObject("os").put("name", i.os().name()).put("version", i.os().version())
                .put("endOfLife", i.os().endOfLife());
        putIfKnown(os, "endOfLifeDate", i.os().endOfLifeDate());
        o.put("complete", i.complete());
        ArrayNode unreadable = o.putArray("unreadable");
        for (UnreadableFacts u : i.unreadable()) {
            unreadable.addObject().put("layerDigest", u.layerDigest().toString()).put("path", u.path())
                    .put("reason", u.reason());
        }
        return o;
    }

    public static Subject readSubject(JsonNode json) {
        JsonFields s = JsonFields.of(json, "");
        ImageFacts image = readImage(s.object("image"));
        List<PackageFacts> packages = s.objects("packages", p -> p.build(() -> new PackageFacts(p.string("purl"),
                p.optionalString("ecosystem"), p.optionalString("name"), p.optionalString("version"),
                p.optionalDigest("layerDigest"), p.optionalString("layerCreatedBy"), p.optionalString("path"),
                p.optionalString("licence"), p.bool("firstParty"))));
        List<FindingFacts> findings = s.objects("findings", f -> f.build(() -> new FindingFacts(f.string("id"),
                f.strings("aliases"), f.enumeration("severity", Severity.class), f.optionalNumber("cvssScore"),
                f.optionalString("cvssVector"), f.bool("fixAvailable"), f.strings("fixedVersions"),
                f.optionalInstant("published"), f.optionalString("packagePurl"), f.optionalString("packageName"),
                f.optionalString("packageVersion"), f.optionalDigest("layerDigest"),
                f.optionalString("layerCreatedBy"), f.optionalString("feed"))));
        List<MisconfigFacts> misconfigurations = s.objects("misconfigurations", m -> m.build(() ->
                new MisconfigFacts(m.string("id"), m.enumeration("severity", Severity.class),
                        m.optionalString("title"), m.optionalString("where"))));
        List<SecretFacts> secrets = s.objects("secrets", x -> x.build(() -> new SecretFacts(x.string("ruleId"),
                x.enumeration("severity", Severity.class), x.optionalString("title"), x.optionalDigest("layerDigest"),
                x.optionalString("path"), x.integer("line"))));
        List<UnevaluableFacts> unevaluable = s.objects("unevaluable", u -> u.build(() -> new UnevaluableFacts(
                u.optionalString("packagePurl"), u.optionalString("packageName"), u.optionalString("packageVersion"),
                u.enumeration("reason", UnevaluableReason.class), u.bool("firstParty"))));
        JsonFields d = s.object("database");
        DatabaseFacts database = d.build(() -> new DatabaseFacts(d.bool("present"), d.optionalString("snapshot"),
                d.optionalInstant("importedAt")));
        return s.build(() -> new Subject(image, packages, findings, misconfigurations, secrets, unevaluable,
                database));
    }

    private static ImageFacts readImage(JsonFields i) {
        JsonFields c = i.object("config");
        ConfigFacts config = c.build(() -> new ConfigFacts(c.optionalString("user"), c.strings("entrypoint"),
                c.strings("cmd"), c.strings("exposedPorts"), c.strings("envNames")));
        JsonFields os = i.object("os");
        OsFacts osFacts = os.build(() -> new OsFacts(os.optionalString("name"), os.optionalString("version"),
                os.bool("endOfLife"), os.optionalDate("endOfLifeDate")));
        List<UnreadableFacts> unreadable = i.objects("unreadable", u -> u.build(() -> new UnreadableFacts(
                u.digest("layerDigest"), u.optionalString("path"), u.string("reason"))));
        return i.build(() -> new ImageFacts(i.string("repository"), i.string("team"), i.optionalString("tag"),
                i.digest("digest"), i.optionalString("platform"), i.stringMap("labels"), config,
                i.optionalInstant("created"), osFacts, i.bool("complete"), unreadable));
    }

    // verdict

    public static JsonNode verdict(Verdict v) {
        ObjectNode o = Json.object().put("decision", v.decision().name());
        ArrayNode rejections = o.putArray("rejections");
        v.rejections().forEach(r -> rejections.add(reason(r)));
        ArrayNode warnings = o.putArray("warnings");
        v.warnings().forEach(r -> warnings.add(reason(r)));
        ArrayNode used = o.putArray("exceptionsUsed");
        for (ExceptionUse u : v.exceptionsUsed()) {
            ObjectNode n = used.addObject().put("exceptionId", u.exceptionId()).put("advisory", u.advisory())
                    .put("expiresAt", u.expiresAt().toString());
            n.set("covered", reason(u.covered()));
        }
        if (v.breakGlass() != null) {
            o.set("breakGlass", breakGlass(v.breakGlass()));
        }
        ObjectNode versions = o.putObject("policyVersions");
        v.policyVersions().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> versions.put(e.getKey(), e.getValue()));
        o.put("evaluatedAt", v.evaluatedAt().toString());
        return o;
    }

    private static ObjectNode reason(Reason r) {
        ObjectNode o = Json.object().put("rule", r.rule()).put("owner", r.owner()).put("action", r.action().yamlName())
                .put("resource", r.resource().yamlName()).put("message", r.message()).put("item", r.item());
        o.set("aliases", array(r.aliases()));
        o.put("packageName", r.packageName()).put("packagePurl", r.packagePurl())
                .put("installedVersion", r.installedVersion()).put("layerDigest", r.layerDigest())
                .put("layerCreatedBy", r.layerCreatedBy());
        o.set("fixedVersions", array(r.fixedVersions()));
        o.put("detail", r.detail());
        putIfKnown(o, "evaluationError", r.evaluationError());
        return o;
    }

    public static Verdict readVerdict(JsonNode json) {
        JsonFields v = JsonFields.of(json, "");
        Decision decision = v.enumeration("decision", Decision.class);
        List<Reason> rejections = v.objects("rejections", PolicyJson::readReason);
        List<Reason> warnings = v.objects("warnings", PolicyJson::readReason);
        List<ExceptionUse> used = v.objects("exceptionsUsed", u -> u.build(() -> new ExceptionUse(
                u.string("exceptionId"), u.string("advisory"), u.instant("expiresAt"),
                readReason(u.object("covered")))));
        JsonFields glass = v.optionalObject("breakGlass");
        BreakGlass breakGlass = glass == null ? null : readBreakGlass(glass);
        return v.build(() -> new Verdict(decision, rejections, warnings, used, breakGlass,
                v.intMap("policyVersions"), v.instant("evaluatedAt")));
    }

    private static Reason readReason(JsonFields r) {
        Action action = Action.ofYamlName(r.string("action"));
        ResourceKind resource = ResourceKind.ofYamlName(r.string("resource"));
        if (action == null || resource == null) {
            throw new JsonFormatException("a reason's action is reject or warn and its resource a resource kind");
        }
        return r.build(() -> new Reason(r.string("rule"), r.string("owner"), action, resource, r.string("message"),
                r.optionalString("item"), r.strings("aliases"), r.optionalString("packageName"),
                r.optionalString("packagePurl"), r.optionalString("installedVersion"),
                r.optionalString("layerDigest"), r.optionalString("layerCreatedBy"), r.strings("fixedVersions"),
                r.optionalString("detail"), r.optionalString("evaluationError")));
    }

    // documents

    public static JsonNode document(PolicyDocument d) {
        ObjectNode o = Json.object();
        if (d.owner().isOrganisation()) {
            o.put("owner", Owner.ORGANISATION);
        } else {
            o.putObject("owner").put("team", d.owner().team());
        }
        o.put("version", d.version());
        if (d.exceptions() != null) {
            ObjectNode e = o.putObject("exceptions").put("maintainersMayGrant", d.exceptions().maintainersMayGrant());
            ObjectNode expiry = e.putObject("maxExpiry");
            for (int i = Severity.values().length - 1; i >= 0; i--) {
                Severity s = Severity.values()[i];
                expiry.put(s.name().toLowerCase(Locale.ROOT), Durations.format(d.exceptions().maxExpiry().get(s)));
            }
        }
        ArrayNode rules = o.putArray("rules");
        for (Rule r : d.rules()) {
            rules.addObject().put("name", r.name()).put("resource", r.resource().yamlName())
                    .put("condition", r.condition()).put("action", r.action().yamlName())
                    .put("message", r.message());
        }
        return o;
    }

    /**
     * Reads a document from its JSON form and validates it exactly as {@link PolicyDocuments#parse} does (JSON is
     * YAML), conditions type-checked; problems are placed in the JSON text as Jackson writes it.
     */
    public static PolicyDocument readDocument(JsonNode json) {
        return PolicyDocuments.parse(json.toPrettyString(), "policy.json");
    }

    // exceptions and break-glass

    public static JsonNode exceptionGrant(ExceptionGrant g) {
        ObjectNode o = Json.object().put("id", g.id()).put("advisory", g.advisory());
        ObjectNode scope = o.putObject("scope");
        switch (g.scope()) {
            case ExceptionGrant.Scope.Organisation x -> scope.put("kind", "organisation");
            case ExceptionGrant.Scope.Team t -> scope.put("kind", "team").put("team", t.team());
            case ExceptionGrant.Scope.Repository r -> scope.put("kind", "repository").put("pattern", r.pattern());
            case ExceptionGrant.Scope.Image i -> scope.put("kind", "digest").put("digest", i.digest().toString());
        }
        putIfKnown(o, "purlPattern", g.purlPattern());
        o.put("reason", g.reason()).put("approver", g.approver()).put("ticket", g.ticket())
                .put("createdAt", g.createdAt().toString()).put("expiresAt", g.expiresAt().toString());
        putIfKnown(o, "revokedAt", g.revokedAt());
        return o;
    }

    public static ExceptionGrant readExceptionGrant(JsonNode json) {
        JsonFields g = JsonFields.of(json, "");
        JsonFields s = g.object("scope");
        ExceptionGrant.Scope scope = s.build(() -> switch (s.string("kind")) {
            case "organisation" -> ExceptionGrant.Scope.organisation();
            case "team" -> ExceptionGrant.Scope.team(s.string("team"));
            case "repository" -> ExceptionGrant.Scope.repository(s.string("pattern"));
            case "digest" -> ExceptionGrant.Scope.digest(s.digest("digest"));
            default -> throw new JsonFormatException("scope.kind is organisation, team, repository or digest");
        });
        return g.build(() -> new ExceptionGrant(g.string("id"), g.string("advisory"), scope,
                g.optionalString("purlPattern"), g.string("reason"), g.string("approver"), g.optionalString("ticket"),
                g.instant("createdAt"), g.instant("expiresAt"), g.optionalInstant("revokedAt")));
    }

    public static JsonNode breakGlass(BreakGlass b) {
        return Json.object().put("digest", b.digest().toString()).put("reason", b.reason()).put("ticket", b.ticket())
                .put("grantedBy", b.grantedBy()).put("grantedAt", b.grantedAt().toString())
                .put("until", b.until().toString());
    }

    public static BreakGlass readBreakGlass(JsonNode json) {
        return readBreakGlass(JsonFields.of(json, ""));
    }

    private static BreakGlass readBreakGlass(JsonFields b) {
        return b.build(() -> new BreakGlass(b.digest("digest"), b.string("reason"), b.optionalString("ticket"),
                b.string("grantedBy"), b.instant("grantedAt"), b.instant("until")));
    }
}
