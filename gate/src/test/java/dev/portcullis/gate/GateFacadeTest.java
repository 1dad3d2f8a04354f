package dev.portcullis.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.Auth;
import dev.portcullis.auth.AuthConfig;
import dev.portcullis.auth.Grant;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.auth.Role;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.oci.testing.MovableClock;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDiff;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.Reason;
import dev.portcullis.registry.Registry;
import dev.portcullis.registry.RegistryLimits;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.FileBlobStore;
import dev.portcullis.storage.JdbcMetadataStore;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's facade without HTTP, on real parts: a SQLite database, a registry on a file blob store, the corpus feeds
 * imported and two corpus images pushed through the registry API (alpine-3.10.3 passes the default policy, java-app
 * does not). Policy apply (the version must rise, a team can only add rules), dry-run (the diff is right and nothing
 * changes), break-glass (security only, bounded, lets a failing image through, expires and is judged again) and an
 * exception's grant and revocation (promotes, then takes back) - each checked in scanned/ as well as in the verdict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateFacadeTest {
    private static final Duration VERDICT = Duration.ofMinutes(2);
    private static final RequestContext CTX = new RequestContext("test", "gate-facade");
    private static final Principal SECURITY = new Principal("sec", Principal.Kind.USER,
            List.of(Grant.global(Role.SECURITY)), List.of());
    private static final Principal DEVELOPER = new Principal("dev", Principal.Kind.USER,
            List.of(Grant.inTeam("acme", Role.DEVELOPER)), List.of());
    private static final RepositoryName ALPINE = RepositoryName.of("unscanned/acme/alpine");
    private static final RepositoryName JAVA = RepositoryName.of("unscanned/acme/java");

    private final MovableClock clock = MovableClock.realTime();
    private Database db;
    private Registry registry;
    private Gate gate;
    private Digest alpine;
    private Digest javaApp;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path corpus = Corpus.require();
        db = Database.sqlite(dir);
        registry = new Registry(new FileBlobStore(dir.resolve("blobs")), new JdbcMetadataStore(db, clock), clock,
                RegistryLimits.DEFAULTS, List.of());
        VulnDb vulnDb = VulnDb.open(db, clock, new FeedDownloader(HttpClient.newHttpClient(), 1L << 30,
                Duration.ofMinutes(1)));
        vulnDb.importFrom(List.of(corpus.resolve("feeds").toString()));
        Auth auth = Auth.open(db, dir, clock, AuthConfig.DEFAULTS);
        gate = new Gate(GateConfig.DEFAULTS.withWorkers(1).withPoll(Duration.ofMillis(50)), db, registry,
                new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(), clock),
                vulnDb, auth.audit(), clock);
        alpine = pushLayout(registry, Corpus.image("alpine-3.10.3").resolve("oci"), ALPINE, "1");
        javaApp = pushLayout(registry, Corpus.image("java-app").resolve("oci"), JAVA, "1");
        gate.start();
        assertThat(awaitState(ALPINE)).isEqualTo(ImageState.PROMOTED);
        assertThat(awaitState(JAVA)).isEqualTo(ImageState.REJECTED);
    }

    @AfterAll
    void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * Pushes the one image of an OCI layout through the registry API as a client would: its config and layers, then
     * its manifest under {@code tag}.
     */
    static Digest pushLayout(Registry registry, Path layout, RepositoryName repository, String tag)
            throws IOException {
        return pushBlobs(registry, layout, repository).run(tag);
    }

    /** The manifest put still to do once a layout's blobs are pushed. */
    interface ManifestPut {
        Digest run(String tag);
    }

    /** Pushes a layout's config and layers; the manifest is put by the returned step. */
    static ManifestPut pushBlobs(Registry registry, Path layout, RepositoryName repository) throws IOException {
        JsonNode entry = Json.parse(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
        Digest digest = Digest.parse(entry.path("digest").asText());
        byte[] manifest = Files.readAllBytes(blob(layout, digest));
        JsonNode m = Json.parse(manifest);
        List<JsonNode> blobs = new ArrayList<>(List.of(m.path("config")));
        m.path("layers").forEach(blobs::add);
        for (JsonNode b : blobs) {
            Digest d = Digest.parse(b.path("digest").asText());
            try (InputStream in = Files.newInputStream(blob(layout, d))) {
                registry.putBlob(repository, d.toString(), in);
            }
        }
        return tag -> {
            Registry.PutResult put = registry.putManifest(repository, tag, entry.path("mediaType").asText(),
                    manifest);
            assertThat(put.digest()).isEqualTo(digest);
            return digest;
        };
    }

    private static Path blob(Path layout, Digest d) {
        return layout.resolve("blobs").resolve(d.algorithm().name().toLowerCase(Locale.ROOT))
                .resolve(d.encoded());
    }

    private ImageState awaitState(RepositoryName repository) throws InterruptedException {
        return gate.awaitVerdict(repository, "1", VERDICT).orElseThrow().state();
    }

    private ImageState state(RepositoryName repository) {
        return gate.image(repository, "1").orElseThrow().state();
    }

    /** What scanned/ holds under tag 1 of the image's repository. */
    private Optional<Digest> scanned(RepositoryName repository) {
        return registry.taggedDigest(RepositoryName.of(repository.value().replaceFirst("^unscanned/", "scanned/")),
                "1");
    }

    private static PolicyDocument team(int version, String rule) {
        String rules = rule == null ? "rules: []\n" : "rules:\n" + rule;
        return PolicyDocuments.parse("owner:\n  team: acme\nversion: " + version + "\n" + rules, "acme.yaml");
    }

    private static final String NO_ALPINE = """
              - name: no-alpine-here
                resource: image
                condition: image.repository == "acme/alpine"
                action: reject
                message: acme moved off this base image.
            """;

    @Test
    @Order(1)
    void theStartingPointIsOnePromotedAndOneRejectedImage() {
        assertThat(scanned(ALPINE)).contains(alpine);
        assertThat(scanned(JAVA)).isEmpty();
        assertThat(gate.image(JAVA, "1").orElseThrow().verdict().orElseThrow().rejections()).isNotEmpty();
    }

    @Test
    @Order(2)
    void aDryRunReportsWhatWouldChangeAndChangesNothing() {
        PolicyDiff diff = gate.dryRun(team(1, NO_ALPINE));
        assertThat(diff.evaluated()).isGreaterThanOrEqualTo(2);
        assertThat(diff.changes()).containsOnlyKeys("acme");
        List<PolicyDiff.Change> changes = diff.changes().get("acme");
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.repository()).isEqualTo("acme/alpine");
            assertThat(c.digest()).isEqualTo(alpine);
            assertThat(c.before()).isEqualTo(Decision.PROMOTE);
            assertThat(c.after()).isEqualTo(Decision.REJECT);
            assertThat(c.added()).extracting(Reason::rule).containsExactly("no-alpine-here");
            assertThat(c.removed()).isEmpty();
        });
        // no change made: no team document stored, the image still promoted and in scanned/
        assertThat(gate.policy(Owner.team("acme"))).isEmpty();
        assertThat(gate.policyOwners()).containsExactly(Owner.organisation());
        assertThat(state(ALPINE)).isEqualTo(ImageState.PROMOTED);
        assertThat(scanned(ALPINE)).contains(alpine);
        // a proposal that breaks the floor is refused, not diffed
        assertThatThrownBy(() -> gate.dryRun(team(1, NO_ALPINE.replace("no-alpine-here", "exposed-secret"))))
                .isInstanceOf(GateException.class).extracting(e -> ((GateException) e).reason())
                .isEqualTo(GateException.Reason.INVALID);
    }

    @Test
    @Order(3)
    void applyingAPolicyNeedsARisingVersionKeepsTheFloorAndJudgesAgain() {
        // the organisation is at the shipped version 1: another version 1 is refused
        assertThatThrownBy(() -> gate.applyPolicy(PolicyDocuments.defaultOrganisation(), SECURITY, CTX))
                .isInstanceOf(GateException.class).hasMessageContaining("raise it to 2");
        // a team cannot replace (weaken) an organisation rule by naming its own after it
        assertThatThrownBy(() -> gate.applyPolicy(team(1, NO_ALPINE.replace("no-alpine-here",
                "fixable-critical-or-high")), SECURITY, CTX)).isInstanceOf(GateException.class)
                .hasMessageContaining("can only add rules");
        // a developer changes no policy
        assertThatThrownBy(() -> gate.applyPolicy(team(1, NO_ALPINE), DEVELOPER, CTX))
                .isInstanceOf(GateException.class).extracting(e -> ((GateException) e).reason())
                .isEqualTo(GateException.Reason.FORBIDDEN);
        assertThat(gate.policy(Owner.team("acme"))).isEmpty();

        // a team rule tightens: the promoted image is judged again and taken back out of scanned/
        PolicyVersion v1 = gate.applyPolicy(team(1, NO_ALPINE), SECURITY, CTX);
        assertThat(v1.document().version()).isEqualTo(1);
        assertThat(state(ALPINE)).isEqualTo(ImageState.REJECTED);
        assertThat(gate.image(ALPINE, "1").orElseThrow().verdict().orElseThrow().rejections())
                .extracting(Reason::rule).contains("no-alpine-here");
        assertThat(scanned(ALPINE)).isEmpty();
        assertThatThrownBy(() -> gate.applyPolicy(team(1, null), SECURITY, CTX))
                .isInstanceOf(GateException.class).hasMessageContaining("raise it to 2");

        // the team drops its own rule (it may): the organisation's floor alone passes the image again
        gate.applyPolicy(team(2, null), SECURITY, CTX);
        assertThat(state(ALPINE)).isEqualTo(ImageState.PROMOTED);
        assertThat(scanned(ALPINE)).contains(alpine);
        assertThat(gate.policyHistory(Owner.team("acme"))).extracting(v -> v.document().version())
                .containsExactly(2, 1);
        // and the organisation's rules still bind acme: java is still rejected for its findings
        assertThat(state(JAVA)).isEqualTo(ImageState.REJECTED);
    }

    @Test
    @Order(4)
    void breakGlassIsForTheSecurityRoleBoundedAndEndsByItself() {
        assertThatThrownBy(() -> gate.breakGlass(javaApp, "prod is down", "INC-1", Duration.ofHours(4), DEVELOPER,
                CTX)).isInstanceOf(GateException.class).extracting(e -> ((GateException) e).reason())
                .isEqualTo(GateException.Reason.FORBIDDEN);
        for (Duration d : List.of(Duration.ZERO, Duration.ofHours(-1), Gate.MAX_BREAK_GLASS.plusSeconds(1))) {
            assertThatThrownBy(() -> gate.breakGlass(javaApp, "prod is down", "INC-1", d, SECURITY, CTX))
                    .as(d.toString()).isInstanceOf(GateException.class)
                    .extracting(e -> ((GateException) e).reason()).isEqualTo(GateException.Reason.INVALID);
        }
        assertThat(state(JAVA)).isEqualTo(ImageState.REJECTED);
        long before = gate.breakGlassGranted();

        BreakGlass glass = gate.breakGlass(javaApp, "prod is down", "INC-1", Duration.ofHours(4), SECURITY, CTX);
        assertThat(gate.breakGlassGranted()).isEqualTo(before + 1);
        GateImage through = gate.image(JAVA, "1").orElseThrow();
        assertThat(through.state()).isEqualTo(ImageState.PROMOTED);
        // the verdict says why it passed: its rejections stand, the glass let it through
        assertThat(through.verdict().orElseThrow().breakGlass()).isEqualTo(glass);
        assertThat(through.verdict().orElseThrow().rejections()).isNotEmpty();
        assertThat(scanned(JAVA)).contains(javaApp);

        clock.setOffset(Duration.ofHours(3));
        assertThat(gate.expire()).isZero();
        assertThat(scanned(JAVA)).contains(javaApp);
        clock.setOffset(Duration.ofHours(5));
        assertThat(gate.expire()).isPositive();
        GateImage after = gate.image(JAVA, "1").orElseThrow();
        assertThat(after.state()).isEqualTo(ImageState.REJECTED);
        assertThat(after.verdict().orElseThrow().breakGlass()).isNull();
        assertThat(scanned(JAVA)).isEmpty();
    }

    @Test
    @Order(5)
    void grantingAnExceptionPromotesWithoutAPushAndRevokingItTakesTheImageBack() {
        Set<String> advisories = new LinkedHashSet<>();
        for (Reason r : gate.image(JAVA, "1").orElseThrow().verdict().orElseThrow().rejections()) {
            assertThat(r.resource().name()).as("java-app is rejected only for findings: " + r)
                    .isEqualTo("VULNERABILITY");
            advisories.add(r.item());
        }
        assertThat(advisories).isNotEmpty();
        Instant expiry = clock.instant().plus(Duration.ofDays(5));
        // a developer grants nothing
        String first = advisories.iterator().next();
        assertThatThrownBy(() -> gate.grantException(new ExceptionRequest(first, ExceptionGrant.Scope.team("acme"),
                null, "not reachable", "https://tracker.invalid/SEC-1", expiry), DEVELOPER, CTX))
                .isInstanceOf(GateException.class);
        List<ExceptionGrant> grants = new ArrayList<>();
        for (String advisory : advisories) {
            // while any advisory is still uncovered, the image stays out of scanned/
            assertThat(scanned(JAVA)).isEmpty();
            grants.add(gate.grantException(new ExceptionRequest(advisory, ExceptionGrant.Scope.team("acme"), null,
                    "not reachable", "https://tracker.invalid/SEC-1", expiry), SECURITY, CTX));
        }
        GateImage promoted = gate.image(JAVA, "1").orElseThrow();
        assertThat(promoted.state()).isEqualTo(ImageState.PROMOTED);
        assertThat(promoted.verdict().orElseThrow().exceptionsUsed()).isNotEmpty();
        assertThat(scanned(JAVA)).contains(javaApp);
        // alpine is untouched by exceptions it does not need
        assertThat(state(ALPINE)).isEqualTo(ImageState.PROMOTED);

        ExceptionGrant revoked = gate.revokeException(grants.getFirst().id(), SECURITY, CTX);
        assertThat(revoked.revokedAt()).isNotNull();
        GateImage back = gate.image(JAVA, "1").orElseThrow();
        assertThat(back.state()).isEqualTo(ImageState.REJECTED);
        assertThat(back.verdict().orElseThrow().rejections()).extracting(Reason::item).contains(first);
        assertThat(scanned(JAVA)).isEmpty();
        assertThat(gate.exceptions()).filteredOn(g -> g.id().equals(revoked.id())).singleElement()
                .satisfies(g -> assertThat(g.revokedAt()).isNotNull());
    }
}
