package dev.portcullis.policy;

import dev.cel.runtime.CelVariableResolver;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.policy.model.UnevaluableFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The organisation's document and the teams' documents combined under floor semantics: the organisation's rules
 * bind every image; a team's rules are added for that team's images only; a team can add rules but never remove,
 * rename or weaken the organisation's. Every condition is compiled once here, so one instance judges any number of
 * subjects. Instances are immutable and safe to share between threads.
 */
public final class EffectivePolicy {
    private final PolicyDocument organisation;
    private final List<PolicyDocument> teams;
    private final List<CompiledRule> organisationRules;
    private final Map<String, TeamRules> byTeam;

    private record CompiledRule(Owner owner, Rule rule, CelModel.Compiled condition) {
    }

    private record TeamRules(PolicyDocument document, List<CompiledRule> rules) {
    }

    private EffectivePolicy(PolicyDocument organisation, List<PolicyDocument> teams,
                            List<CompiledRule> organisationRules, Map<String, TeamRules> byTeam) {
        this.organisation = organisation;
        this.teams = teams;
        this.organisationRules = organisationRules;
        this.byTeam = byTeam;
    }

    /**
     * Combines documents.
     *
     * @throws PolicyException when {@code organisation} is not the organisation's, a team document is not a team's,
     *     two documents belong to one team, a team rule reuses an organisation rule's name, or a team document bounds
     *     exceptions; every problem is listed (without line numbers: they are between documents)
     */
    public static EffectivePolicy of(PolicyDocument organisation, List<PolicyDocument> teamDocuments) {
        Objects.requireNonNull(organisation, "organisation");
        List<Problem> problems = new ArrayList<>();
        if (!organisation.owner().isOrganisation()) {
            problems.add(Problem.general("the organisation's policy must have owner 'organisation', not "
                    + organisation.owner().key()));
        }
        Set<String> organisationNames = organisation.rules().stream().map(Rule::name).collect(Collectors.toSet());
        Map<String, TeamRules> byTeam = new LinkedHashMap<>();
        List<CompiledRule> organisationRules = compile(organisation, problems);
        for (PolicyDocument team : teamDocuments) {
            if (team.owner().isOrganisation()) {
                problems.add(Problem.general("a team policy must have owner 'team: <name>'; only one organisation"
                        + " policy exists"));
                continue;
            }
            String name = team.owner().team();
            if (team.exceptions() != null) {
                problems.add(Problem.general("team " + name + "'s policy sets exception bounds; only the"
                        + " organisation's policy bounds exceptions"));
            }
            for (Rule r : team.rules()) {
                if (organisationNames.contains(r.name())) {
                    problems.add(Problem.general("team " + name + "'s rule '" + r.name() + "' has the name of an"
                            + " organisation rule; a team policy can only add rules, never replace one: rename it"));
                }
            }
            if (byTeam.containsKey(name)) {
                problems.add(Problem.general("team " + name + " has more than one policy document"));
                continue;
            }
            byTeam.put(name, new TeamRules(team, compile(team, problems)));
        }
        if (!problems.isEmpty()) {
            throw new PolicyException("effective policy", problems);
        }
        return new EffectivePolicy(organisation, List.copyOf(teamDocuments), List.copyOf(organisationRules),
                Map.copyOf(byTeam));
    }

    private static List<CompiledRule> compile(PolicyDocument document, List<Problem> problems) {
        List<CompiledRule> out = new ArrayList<>();
        for (Rule r : document.rules()) {
            CelModel.Result result = CelModel.compile(r.resource(), r.condition());
            if (result.compiled() == null) {
                result.issues().forEach(i -> problems.add(Problem.general(document.owner().key() + " rule '"
                        + r.name() + "': " + i.message())));
            } else {
                out.add(new CompiledRule(document.owner(), r, result.compiled()));
            }
        }
        return out;
    }

    /** The organisation's document. */
    public PolicyDocument organisation() {
        return organisation;
    }

    /** The team documents, in the order given. */
    public List<PolicyDocument> teams() {
        return teams;
    }

    /** The organisation's bounds on exceptions ({@link ExceptionBounds#defaults()} when its document sets none). */
    public ExceptionBounds exceptionBounds() {
        return organisation.exceptions() == null ? ExceptionBounds.defaults() : organisation.exceptions();
    }

    /** The versions an image of {@code team} is judged under, by {@link Owner#key()}. */
    public Map<String, Integer> versionsFor(String team) {
        Map<String, Integer> versions = new HashMap<>();
        versions.put(organisation.owner().key(), organisation.version());
        TeamRules t = byTeam.get(team);
        if (t != null) {
            versions.put(t.document().owner().key(), t.document().version());
        }
        return Map.copyOf(versions);
    }

    /**
     * Judges one subject at {@code now}: every rule of the organisation and of the image's team over every item of
     * its kind. A rule whose condition fails to evaluate rejects with an evaluation-error reason, whatever its
     * action. A finding covered by an active exception does not reject; the verdict names the exception.
     * An active break-glass for the image's digest promotes, still listing the rejections it overrode.
     * Pure: no clock, no I/O.
     */
    public Verdict evaluate(Subject subject, List<ExceptionGrant> exceptions, Optional<BreakGlass> breakGlass,
                            Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        ImageFacts image = subject.image();
        List<ExceptionGrant> applicable = exceptions.stream()
                .filter(e -> e.isActive(now) && e.scope().covers(image))
                .toList();
        Bindings bindings = new Bindings(subject, now);
        Map<ResourceKind, List<Map<String, Object>>> items = new EnumMap<>(ResourceKind.class);
        List<Reason> rejections = new ArrayList<>();
        List<Reason> warnings = new ArrayList<>();
        List<ExceptionUse> used = new ArrayList<>();

        List<CompiledRule> rules = new ArrayList<>(organisationRules);
        TeamRules team = byTeam.get(image.team());
        if (team != null) {
            rules.addAll(team.rules());
        }
        for (CompiledRule rule : rules) {
            ResourceKind kind = rule.rule().resource();
            if (kind == ResourceKind.IMAGE) {
                judge(rule, bindings.forImage(), imageReason(rule, image), rejections, warnings);
                continue;
            }
            List<Map<String, Object>> maps = items.computeIfAbsent(kind, k -> Bindings.items(k, subject, now));
            for (int i = 0; i < maps.size(); i++) {
                CelVariableResolver variables = bindings.forItem(kind, maps.get(i));
                ReasonTemplate template = itemReason(rule, subject, i);
                if (kind == ResourceKind.VULNERABILITY) {
                    FindingFacts finding = subject.findings().get(i);
                    Optional<ExceptionGrant> grant = applicable.stream()
                            .filter(e -> e.covers(finding, image, now)).findFirst();
                    if (grant.isPresent() && rule.rule().action() == Action.REJECT) {
                        List<Reason> covered = new ArrayList<>();
                        judge(rule, variables, template, covered, warnings);
                        for (Reason r : covered) {
                            if (r.isEvaluationError()) {
                                rejections.add(r);
                            } else {
                                used.add(new ExceptionUse(grant.get().id(), grant.get().advisory(),
                                        grant.get().expiresAt(), r));
                            }
                        }
                        continue;
                    }
                }
                judge(rule, variables, template, rejections, warnings);
            }
        }
        BreakGlass glass = breakGlass.filter(g -> g.isActiveFor(image.digest(), now)).orElse(null);
        Decision decision = rejections.isEmpty() || glass != null ? Decision.PROMOTE : Decision.REJECT;
        return new Verdict(decision, rejections, warnings, used, glass, versionsFor(image.team()), now);
    }

    private static void judge(CompiledRule rule, CelVariableResolver variables, ReasonTemplate template,
                              List<Reason> rejections, List<Reason> warnings) {
        boolean holds;
        try {
            holds = rule.condition().test(variables);
        } catch (CelModel.EvaluationError e) {
            rejections.add(template.failed(e.getMessage()));
            return;
        }
        if (holds) {
            (rule.rule().action() == Action.REJECT ? rejections : warnings).add(template.held());
        }
    }

    /** A reason with everything but how the rule ended. */
    private record ReasonTemplate(CompiledRule rule, String item, List<String> aliases, String packageName,
                                  String packagePurl, String installedVersion, String layerDigest,
                                  String layerCreatedBy, List<String> fixedVersions, String detail) {
        Reason held() {
            Rule r = rule.rule();
            return new Reason(r.name(), rule.owner().key(), r.action(), r.resource(), r.message(), item, aliases,
                    packageName, packagePurl, installedVersion, layerDigest, layerCreatedBy, fixedVersions, detail,
                    null);
        }

        Reason failed(String error) {
            Rule r = rule.rule();
            return new Reason(r.name(), rule.owner().key(), Action.REJECT, r.resource(),
                    "the rule's condition could not be evaluated, so the image is rejected until the policy is"
                            + " fixed: " + error,
                    item, aliases, packageName, packagePurl, installedVersion, layerDigest, layerCreatedBy,
                    fixedVersions, detail, error);
        }
    }

    private static ReasonTemplate imageReason(CompiledRule rule, ImageFacts image) {
        return new ReasonTemplate(rule, image.repository(), List.of(), "", "", "", "", "", List.of(), "");
    }

    private static ReasonTemplate itemReason(CompiledRule rule, Subject subject, int i) {
        return switch (rule.rule().resource()) {
            case VULNERABILITY -> {
                FindingFacts f = subject.findings().get(i);
                yield new ReasonTemplate(rule, f.id(), f.aliases(), f.packageName(), f.packagePurl(),
                        f.packageVersion(), text(f.layerDigest()), f.layerCreatedBy(), f.fixedVersions(), "");
            }
            case PACKAGE -> {
                PackageFacts p = subject.packages().get(i);
                yield new ReasonTemplate(rule, p.purl(), List.of(), p.name(), p.purl(), p.version(),
                        text(p.layerDigest()), p.layerCreatedBy(), List.of(), p.path());
            }
            case MISCONFIGURATION -> {
                MisconfigFacts c = subject.misconfigurations().get(i);
                yield new ReasonTemplate(rule, c.id(), List.of(), "", "", "", "", "", List.of(), c.where());
            }
            case SECRET -> {
                SecretFacts s = subject.secrets().get(i);
                yield new ReasonTemplate(rule, s.ruleId(), List.of(), "", "", "", text(s.layerDigest()), "",
                        List.of(), s.line() == 0 ? s.path() : s.path() + ":" + s.line());
            }
            case UNEVALUABLE -> {
                UnevaluableFacts u = subject.unevaluable().get(i);
                yield new ReasonTemplate(rule, u.packagePurl(), List.of(), u.packageName(), u.packagePurl(),
                        u.packageVersion(), "", "", List.of(), u.reason().name());
            }
            case IMAGE -> imageReason(rule, subject.image());
        };
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
