package dev.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.storage.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {
    @TempDir
    Path dir;
    private Database db;
    private Auth auth;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        auth = TestAuth.open(db, dir, new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Principal user(String role) {
        Role r = Role.parse(role);
        return new Principal("u", Principal.Kind.USER, List.of(r.perTeam() ? Grant.inTeam("acme", r)
                : Grant.global(r)), List.of());
    }

    // role, repository, pull, push, delete
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
            "admin,      unscanned/acme/app, false, false, false",
            "admin,      scanned/acme/app,   true,  false, false",
            "admin,      library/app,        true,  false, false",
            "security,   unscanned/acme/app, true,  false, false",
            "security,   scanned/other/app,  true,  false, false",
            "auditor,    unscanned/acme/app, false, false, false",
            "auditor,    scanned/acme/app,   false, false, false",
            "maintainer, unscanned/acme/app, true,  true,  true",
            "maintainer, scanned/acme/app,   true,  false, false",
            "maintainer, unscanned/other/app, false, false, false",
            "developer,  unscanned/acme/app, true,  true,  false",
            "developer,  scanned/acme/app,   true,  false, false",
            "developer,  scanned/other/app,  false, false, false",
            "reader,     unscanned/acme/app, false, false, false",
            "reader,     scanned/acme/app,   true,  false, false",
            "reader,     scanned/other/app,  false, false, false",
            "developer,  library/app,        false, false, false",
    })
    void roleMatrix(String role, String repo, boolean pull, boolean push, boolean delete) {
        AccessPolicy policy = auth.policy();
        Principal p = user(role);
        assertThat(policy.allowed(p, repo, Action.PULL)).as("pull").isEqualTo(pull);
        assertThat(policy.allowed(p, repo, Action.PUSH)).as("push").isEqualTo(push);
        assertThat(policy.allowed(p, repo, Action.DELETE)).as("delete").isEqualTo(delete);
    }

    @Test
    void anonymousPullIsOffUntilSetAndOnlyForScanned() {
        Principal anon = Principal.anonymous();
        assertThat(auth.policy().allowed(anon, "scanned/acme/app", Action.PULL)).isFalse();
        Principal admin = new Principal("root", Principal.Kind.USER, List.of(Grant.global(Role.ADMIN)), List.of());
        auth.administration().setAnonymousPull(admin, new RequestContext("test", "r1"), List.of("scanned/acme/*"));
        assertThat(auth.policy().allowed(anon, "scanned/acme/app", Action.PULL)).isTrue();
        assertThat(auth.policy().allowed(anon, "scanned/acme/app/sub", Action.PULL)).isFalse();
        assertThat(auth.policy().allowed(anon, "scanned/acme/app", Action.PUSH)).isFalse();
        assertThat(auth.policy().allowed(anon, "unscanned/acme/app", Action.PULL)).isFalse();
    }

    @Test
    void robotsStayWithinTheirPatterns() {
        Principal robot = new Principal("acme+ci", Principal.Kind.ROBOT, List.of(Grant.inTeam("acme", Role.DEVELOPER)),
                List.of("unscanned/acme/app"));
        assertThat(auth.policy().allowed(robot, "unscanned/acme/app", Action.PUSH)).isTrue();
        assertThat(auth.policy().allowed(robot, "unscanned/acme/other", Action.PUSH)).isFalse();
    }

    @Test
    void grantIntersectsWhatWasAskedWithWhatIsHeld() {
        List<Scope> granted = auth.policy().grant(user("reader"), List.of(
                Scope.repository("scanned/acme/app", Set.of(Action.PULL, Action.PUSH)),
                Scope.repository("unscanned/acme/app", Set.of(Action.PULL, Action.PUSH)), Scope.catalog()));
        assertThat(granted).containsExactly(Scope.repository("scanned/acme/app", Set.of(Action.PULL)));
    }

    @Test
    void scopesParseLikeDockerSendsThem() {
        assertThat(Scope.parseAll(List.of("repository:unscanned/acme/app:pull,push", "registry:catalog:*")))
                .containsExactly(Scope.repository("unscanned/acme/app", Set.of(Action.PULL, Action.PUSH)),
                        Scope.catalog());
        assertThat(Scope.parse("repository:a/b:*").actions()).isEmpty();
    }

    @Test
    void scopesNameOnlyValidRepositories() {
        for (String bad : List.of("repository:unscanned/acme/App:pull", "repository:unscanned/acme/../x:pull",
                "repository:unscanned//acme:push", "repository:unscanned/acme/app/:pull", "repository:a b:pull")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scope.parseAll(List.of(bad)))
                    .as(bad).isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo(AuthException.Reason.INVALID));
        }
    }
}
