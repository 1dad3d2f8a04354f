package dev.portcullis.policy;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import dev.portcullis.policy.model.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL side of policies: the documented model as CEL types, one compiler per resource kind (each binding its
 * variable, {@code image}, {@code db}, {@code now} and the severity constants), and the runtime. Conditions are
 * compiled once and evaluated against plain maps (see {@link Bindings}), so no reflection over our types.
 */
final class CelModel {
    static final int MAX_CONDITION_LENGTH = 4096;

    private static final StructType UNREADABLE = struct("portcullis.Unreadable",
            "layerDigest", SimpleType.STRING, "path", SimpleType.STRING, "reason", SimpleType.STRING);
    private static final StructType CONFIG = struct("portcullis.Config",
            "user", SimpleType.STRING, "entrypoint", strings(), "cmd", strings(), "exposedPorts", strings(),
            "envNames", strings());
    private static final StructType OS = struct("portcullis.Os",
            "name", SimpleType.STRING, "version", SimpleType.STRING, "endOfLife", SimpleType.BOOL,
            "endOfLifeDate", SimpleType.TIMESTAMP);
    private static final StructType IMAGE = struct("portcullis.Image",
            "repository", SimpleType.STRING, "team", SimpleType.STRING, "tag", SimpleType.STRING,
            "digest", SimpleType.STRING, "platform", SimpleType.STRING,
            "labels", MapType.create(SimpleType.STRING, SimpleType.STRING), "config", CONFIG,
            "created", SimpleType.TIMESTAMP, "os", OS, "complete", SimpleType.BOOL,
            "unreadable", ListType.create(UNREADABLE));
    private static final StructType FINDING = struct("portcullis.Finding",
            "id", SimpleType.STRING, "aliases", strings(), "severity", SimpleType.INT,
            "cvssScore", SimpleType.DOUBLE, "cvssVector", SimpleType.STRING, "fixAvailable", SimpleType.BOOL,
            "fixedVersions", strings(), "published", SimpleType.TIMESTAMP, "age", SimpleType.DURATION,
            "packagePurl", SimpleType.STRING, "packageName", SimpleType.STRING, "packageVersion", SimpleType.STRING,
            "layerDigest", SimpleType.STRING, "layerCreatedBy", SimpleType.STRING, "feed", SimpleType.STRING);
    private static final StructType PACKAGE = struct("portcullis.Package",
            "purl", SimpleType.STRING, "ecosystem", SimpleType.STRING, "name", SimpleType.STRING,
            "version", SimpleType.STRING, "layerDigest", SimpleType.STRING, "layerCreatedBy", SimpleType.STRING,
            "path", SimpleType.STRING, "licence", SimpleType.STRING, "firstParty", SimpleType.BOOL);
    private static final StructType MISCONFIGURATION = struct("portcullis.Misconfiguration",
            "id", SimpleType.STRING, "severity", SimpleType.INT, "title", SimpleType.STRING,
            "where", SimpleType.STRING);
    private static final StructType SECRET = struct("portcullis.Secret",
            "ruleId", SimpleType.STRING, "severity", SimpleType.INT, "title", SimpleType.STRING,
            "layerDigest", SimpleType.STRING, "path", SimpleType.STRING, "line", SimpleType.INT);
    private static final StructType UNEVALUABLE = struct("portcullis.Unevaluable",
            "packagePurl", SimpleType.STRING, "packageName", SimpleType.STRING, "packageVersion", SimpleType.STRING,
            "reason", SimpleType.STRING, "firstParty", SimpleType.BOOL);
    private static final StructType DATABASE = struct("portcullis.Database",
            "present", SimpleType.BOOL, "snapshot", SimpleType.STRING, "importedAt", SimpleType.TIMESTAMP,
            "age", SimpleType.DURATION);

    private static final List<StructType> TYPES = List.of(UNREADABLE, CONFIG, OS, IMAGE, FINDING, PACKAGE,
            MISCONFIGURATION, SECRET, UNEVALUABLE, DATABASE);

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_CONDITION_LENGTH)
            // comprehensions only range over one item's lists, which the scanner bounds; this bounds nesting
            .comprehensionMaxIterations(100_000)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private static final Map<ResourceKind, CelCompiler> COMPILERS = compilers();

    private CelModel() {
    }

    /** A condition compiled for one resource kind. */
    record Compiled(CelRuntime.Program program) {
        /** Evaluates the condition; a non-boolean result or any evaluation failure is an {@link EvaluationError}. */
        boolean test(CelVariableResolver variables) {
            Object result;
            try {
                result = program.eval(variables);
            } catch (CelEvaluationException e) {
                throw new EvaluationError(e.getMessage());
            } catch (RuntimeException e) {
                // the runtime throws unchecked exceptions for some malformed values; they fail the rule, not the gate
                throw new EvaluationError(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (result instanceof Boolean b) {
                return b;
            }
            throw new EvaluationError("the condition evaluated to " + result + ", not a bool");
        }
    }

    /** A condition that could not be evaluated; the rule fails closed. */
    static final class EvaluationError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvaluationError(String message) {
            super(message, null, false, false);
        }
    }

    /** A CEL problem at a 1-based line and 0-based column of the condition text. */
    record Issue(int line, int column, String message) {
    }

    /**
     * Parses and type-checks {@code condition} for {@code kind}.
     *
     * @return the compiled condition, or the issues that keep it from compiling
     */
    static Result compile(ResourceKind kind, String condition) {
        if (condition.length() > MAX_CONDITION_LENGTH) {
            return new Result(null, List.of(new Issue(1, 0, "a condition is at most " + MAX_CONDITION_LENGTH
                    + " characters")));
        }
        CelValidationResult validation = COMPILERS.get(kind).compile(condition);
        if (validation.hasError()) {
            List<Issue> issues = new ArrayList<>();
            for (CelIssue issue : validation.getErrors()) {
                int line = Math.max(1, issue.getSourceLocation().getLine());
                int column = Math.max(0, issue.getSourceLocation().getColumn());
                issues.add(new Issue(line, column, issue.getMessage()));
            }
            return new Result(null, issues);
        }
        try {
            CelAbstractSyntaxTree ast = validation.getAst();
            return new Result(new Compiled(RUNTIME.createProgram(ast)), List.of());
        } catch (CelValidationException | CelEvaluationException e) {
            return new Result(null, List.of(new Issue(1, 0, e.getMessage())));
        }
    }

    /** The outcome of {@link #compile}: exactly one of {@code compiled} and {@code issues} is set. */
    record Result(Compiled compiled, List<Issue> issues) {
    }

    private static Map<ResourceKind, CelCompiler> compilers() {
        CelTypeProvider types = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.copyOf(TYPES);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return TYPES.stream().filter(t -> t.name().equals(name)).<CelType>map(t -> t).findFirst();
            }
        };
        Map<ResourceKind, CelCompiler> out = new EnumMap<>(ResourceKind.class);
        for (ResourceKind kind : ResourceKind.values()) {
            var builder = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setTypeProvider(types)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .setResultType(SimpleType.BOOL)
                    .addVar("image", IMAGE)
                    .addVar("db", DATABASE)
                    .addVar("now", SimpleType.TIMESTAMP);
            for (Severity s : Severity.values()) {
                builder.addVar(s.name(), SimpleType.INT);
            }
            switch (kind) {
                case VULNERABILITY -> builder.addVar(kind.variable(), FINDING);
                case PACKAGE -> builder.addVar(kind.variable(), PACKAGE);
                case MISCONFIGURATION -> builder.addVar(kind.variable(), MISCONFIGURATION);
                case SECRET -> builder.addVar(kind.variable(), SECRET);
                case UNEVALUABLE -> builder.addVar(kind.variable(), UNEVALUABLE);
                case IMAGE -> {
                    // image is bound for every kind already
                }
            }
            out.put(kind, builder.build());
        }
        return Map.copyOf(out);
    }

    private static ListType strings() {
        return ListType.create(SimpleType.STRING);
    }

    private static StructType struct(String name, Object... nameTypePairs) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            fields.put((String) nameTypePairs[i], (CelType) nameTypePairs[i + 1]);
        }
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(fields.get(f)));
    }
}
