package dev.portcullis.policy;

import dev.portcullis.policy.model.Severity;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The YAML form of policy documents. Reading composes SnakeYAML's node tree (which keeps every node's line and
 * column) and walks it against the schema by hand, collecting every problem instead of stopping at the first;
 * scalars are read as text and interpreted by the schema, so YAML 1.1's {@code yes}/{@code no} never turn into
 * booleans behind the author's back. Writing is canonical: fixed key order, quoted strings.
 */
final class PolicyYaml {
    static final int MAX_SOURCE_CODE_POINTS = 256 * 1024;
    private static final Set<String> DOCUMENT_FIELDS = Set.of("owner", "version", "exceptions", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("name", "resource", "condition", "action", "message");
    private static final Set<String> EXCEPTION_FIELDS = Set.of("maintainersMayGrant", "maxExpiry");
    private static final String RESOURCES = "vulnerability, package, misconfiguration, secret, image, unevaluable";

    private final String source;
    private final List<String> lines;
    private final List<Problem> problems = new ArrayList<>();

    private PolicyYaml(String source, String text) {
        this.source = source;
        this.lines = text.lines().toList();
    }

    static PolicyDocument parse(String text, String source) {
        return new PolicyYaml(source, text).read(text);
    }

    private PolicyDocument read(String text) {
        if (text.codePointCount(0, text.length()) > MAX_SOURCE_CODE_POINTS) {
            throw fail(Problem.general("a policy document is at most " + MAX_SOURCE_CODE_POINTS + " characters"));
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_SOURCE_CODE_POINTS);
        options.setNestingDepthLimit(16);
        options.setMaxAliasesForCollections(16);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw fail(mark == null ? Problem.general("YAML: " + what)
                    : new Problem(mark.getLine() + 1, mark.getColumn() + 1, "YAML: " + what));
        } catch (YAMLException e) {
            throw fail(Problem.general("YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw fail(Problem.general("the document is empty; a policy has owner, version and rules"));
        }
        if (!(root instanceof MappingNode top)) {
            throw fail(at(root, "a policy document is a mapping with owner, version and rules"));
        }
        Map<String, Node> fields = fields(top, DOCUMENT_FIELDS);
        Owner owner = owner(required(top, fields, "owner"));
        Integer version = version(required(top, fields, "version"));
        ExceptionBounds bounds = fields.containsKey("exceptions") ? exceptions(fields.get("exceptions")) : null;
        if (bounds != null && owner != null && !owner.isOrganisation()) {
            problems.add(at(fields.get("exceptions"), "only the organisation's policy bounds exceptions; remove"
                    + " 'exceptions' from team " + owner.team() + "'s policy"));
            bounds = null;
        }
        List<Rule> rules = rules(required(top, fields, "rules"));
        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        return new PolicyDocument(owner, version, rules, bounds);
    }

    private PolicyException fail(Problem problem) {
        problems.add(problem);
        return new PolicyException(source, problems);
    }

    private Owner owner(Node node) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode s && Owner.ORGANISATION.equals(s.getValue())) {
            return Owner.organisation();
        }
        if (node instanceof MappingNode m) {
            Map<String, Node> f = fields(m, Set.of("team"));
            String team = text(required(m, f, "team"), "team");
            if (team == null) {
                return null;
            }
            if (!team.matches("[a-z0-9]+(?:[._-][a-z0-9]+)*")) {
                problems.add(at(f.get("team"), "team '" + team + "' is not a repository path segment (lower-case"
                        + " letters, digits, '.', '_', '-')"));
                return null;
            }
            return Owner.team(team);
        }
        problems.add(at(node, "owner is 'organisation' or a mapping 'team: <name>'"));
        return null;
    }

    private Integer version(Node node) {
        String text = text(node, "version");
        if (text == null) {
            return null;
        }
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1) {
            problems.add(at(node, "version is a whole number of at least 1, not '" + text + "'"));
            return null;
        }
        return Integer.parseInt(text);
    }

    private ExceptionBounds exceptions(Node node) {
        if (!(node instanceof MappingNode m)) {
            problems.add(at(node, "exceptions is a mapping with maintainersMayGrant and maxExpiry"));
            return null;
        }
        Map<String, Node> f = fields(m, EXCEPTION_FIELDS);
        boolean maintainers = false;
        if (f.containsKey("maintainersMayGrant")) {
            String text = text(f.get("maintainersMayGrant"), "maintainersMayGrant");
            if ("true".equals(text) || "false".equals(text)) {
                maintainers = Boolean.parseBoolean(text);
            } else if (text != null) {
                problems.add(at(f.get("maintainersMayGrant"), "maintainersMayGrant is true or false, not '"
                        + text + "'"));
            }
        }
        Map<Severity, Duration> maxExpiry = new EnumMap<>(Severity.class);
        if (f.containsKey("maxExpiry")) {
            Node expiry = f.get("maxExpiry");
            if (!(expiry instanceof MappingNode em)) {
                problems.add(at(expiry, "maxExpiry maps severities (critical, high, medium, low, unknown) to"
                        + " durations such as 30d"));
            } else {
                Set<String> severities = new HashSet<>();
                for (Severity s : Severity.values()) {
                    severities.add(s.name().toLowerCase(Locale.ROOT));
                }
                fields(em, severities).forEach((name, value) -> {
                    String text = text(value, "maxExpiry." + name);
                    if (text == null) {
                        return;
                    }
                    Duration d = Durations.parse(text);
                    if (d == null) {
                        problems.add(at(value, "maxExpiry." + name + " is a duration such as 30d, 12h or 90m,"
                                + " not '" + text + "'"));
                    } else {
                        maxExpiry.put(Severity.valueOf(name.toUpperCase(Locale.ROOT)), d);
                    }
                });
            }
        }
        return new ExceptionBounds(maintainers, maxExpiry);
    }

    private List<Rule> rules(Node node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            problems.add(at(node, "rules is a list of rules, each with name, resource, condition, action and"
                    + " message"));
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Node> names = new LinkedHashMap<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
                problems.add(at(item, "a rule is a mapping with name, resource, condition, action and message"));
                continue;
            }
            Map<String, Node> f = fields(m, RULE_FIELDS);
            String name = text(required(m, f, "name"), "name");
            if (name != null && !Rule.NAME.matcher(name).matches()) {
                problems.add(at(f.get("name"), "rule name '" + name + "' must be 1-100 letters, digits, '-' or"
                        + " '_', starting with a letter or digit"));
                name = null;
            }
            if (name != null && names.putIfAbsent(name, f.get("name")) != null) {
                Mark first = names.get(name).getStartMark();
                problems.add(at(f.get("name"), "rule name '" + name + "' is already used at line "
                        + (first.getLine() + 1)));
                name = null;
            }
            ResourceKind resource = null;
            String resourceText = text(required(m, f, "resource"), "resource");
            if (resourceText != null) {
                resource = ResourceKind.ofYamlName(resourceText);
                if (resource == null) {
                    problems.add(at(f.get("resource"), "unknown resource '" + resourceText + "'; expected one of "
                            + RESOURCES));
                }
            }
            Action action = null;
            String actionText = text(required(m, f, "action"), "action");
            if (actionText != null) {
                action = Action.ofYamlName(actionText);
                if (action == null) {
                    problems.add(at(f.get("action"), "unknown action '" + actionText + "'; expected reject or warn"));
                }
            }
            String message = text(required(m, f, "message"), "message");
            if (message != null && message.isBlank()) {
                problems.add(at(f.get("message"), "message must not be empty: it is what a developer reads"));
                message = null;
            }
            Node conditionNode = required(m, f, "condition");
            String condition = text(conditionNode, "condition");
            if (condition != null && condition.isBlank()) {
                problems.add(at(conditionNode, "condition must not be empty"));
                condition = null;
            }
            if (condition != null && resource != null) {
                CelModel.Result compiled = CelModel.compile(resource, condition);
                for (CelModel.Issue issue : compiled.issues()) {
                    problems.add(inCondition((ScalarNode) conditionNode, issue));
                }
                if (!compiled.issues().isEmpty()) {
                    condition = null;
                }
            }
            if (name != null && resource != null && condition != null && action != null && message != null) {
                rules.add(new Rule(name, resource, condition, action, message));
            }
        }
        return rules;
    }

    /** Places a CEL issue inside the YAML source: exact for one-line scalars and literal blocks. */
    private Problem inCondition(ScalarNode node, CelModel.Issue issue) {
        Mark start = node.getStartMark();
        String message = "condition: " + issue.message();
        switch (node.getScalarStyle()) {
            case PLAIN -> {
                if (issue.line() == 1) {
                    return new Problem(start.getLine() + 1, start.getColumn() + 1 + issue.column(), message);
                }
            }
            case SINGLE_QUOTED, DOUBLE_QUOTED -> {
                if (issue.line() == 1) {
                    return new Problem(start.getLine() + 1, start.getColumn() + 2 + issue.column(), message);
                }
            }
            case LITERAL, FOLDED -> {
                // the block's content starts on the line after its indicator, at the block's indentation
                int firstContentLine = start.getLine() + 1;
                int line = firstContentLine + (node.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                        ? issue.line() - 1 : 0);
                if (line < lines.size()) {
                    String first = lines.get(firstContentLine);
                    int indent = first.length() - first.stripLeading().length();
                    return new Problem(line + 1, indent + 1 + issue.column(), message);
                }
            }
            default -> {
            }
        }
        return new Problem(start.getLine() + 1, start.getColumn() + 1, message);
    }

    /** The mapping's fields by name; unknown and repeated names are problems. */
    private Map<String, Node> fields(MappingNode m, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.add(at(t.getKeyNode(), "a field name is a plain word"));
                continue;
            }
            String name = key.getValue();
            if (!allowed.contains(name)) {
                problems.add(at(key, "unknown field '" + name + "'; expected one of "
                        + String.join(", ", allowed.stream().sorted().toList())));
            } else if (out.containsKey(name)) {
                problems.add(at(key, "field '" + name + "' appears twice"));
            } else {
                out.put(name, t.getValueNode());
            }
        }
        return out;
    }

    private Node required(MappingNode m, Map<String, Node> fields, String name) {
        Node n = fields.get(name);
        if (n == null) {
            problems.add(at(m, "missing field '" + name + "'"));
        }
        return n;
    }

    private String text(Node node, String field) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problems.add(at(node, field + " is a single value, not a " + (node instanceof MappingNode ? "mapping"
                : "list")));
        return null;
    }

    private static Problem at(Node node, String message) {
        Mark m = node.getStartMark();
        return new Problem(m.getLine() + 1, m.getColumn() + 1, message);
    }

    static String write(PolicyDocument d) {
        StringBuilder out = new StringBuilder();
        if (d.owner().isOrganisation()) {
            out.append("owner: organisation\n");
        } else {
            out.append("owner:\n  team: ").append(quote(d.owner().team())).append('\n');
        }
        out.append("version: ").append(d.version()).append('\n');
        if (d.exceptions() != null) {
            out.append("exceptions:\n  maintainersMayGrant: ").append(d.exceptions().maintainersMayGrant())
                    .append("\n  maxExpiry:\n");
            for (int i = Severity.values().length - 1; i >= 0; i--) {
                Severity s = Severity.values()[i];
                out.append("    ").append(s.name().toLowerCase(Locale.ROOT)).append(": ")
                        .append(Durations.format(d.exceptions().maxExpiry().get(s))).append('\n');
            }
        }
        if (d.rules().isEmpty()) {
            out.append("rules: []\n");
            return out.toString();
        }
        out.append("rules:\n");
        for (Rule r : d.rules()) {
            out.append("  - name: ").append(quote(r.name())).append('\n')
                    .append("    resource: ").append(r.resource().yamlName()).append('\n')
                    .append("    condition: ").append(quote(r.condition())).append('\n')
                    .append("    action: ").append(r.action().yamlName()).append('\n')
                    .append("    message: ").append(quote(r.message())).append('\n');
        }
        return out.toString();
    }

    /** Single-quoted when every character is printable on one line (readable); else double-quoted with escapes. */
    static String quote(String s) {
        if (s.chars().allMatch(PolicyYaml::printable)) {
            return "'" + s.replace("'", "''") + "'";
        }
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (printable(c)) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\u%04x", c));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static boolean printable(int c) {
        // YAML treats NEL, LS, PS and the BOM as line breaks or markers; keep them escaped
        return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != 0x2028 && c != 0x2029 && c != 0xfeff
                && !Character.isSurrogate((char) c);
    }
}
