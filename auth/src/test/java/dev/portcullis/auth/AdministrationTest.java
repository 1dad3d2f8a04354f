package dev.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.storage.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdministrationTest {
    @TempDir
    Path dir;
    private Database db;
    private Auth auth;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RequestContext ctx = new RequestContext("10.0.0.7", "req-1");
    private Principal admin;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        auth = TestAuth.open(db, dir, clock);
        assertThat(auth.bootstrapAdmin(Optional.of("the first admin password"), ctx)).isEmpty();
        admin = auth.authenticator().password("admin", "the first admin password", ctx);
        auth.administration().addTeam(admin, ctx, "acme");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<AuditEntry> audit(String action) {
        return auth.audit().query(new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(action), Optional.empty(), Optional.empty(), 0, 100));
    }

    @Test
    void bootstrapHappensOnceAndAGeneratedPasswordIsReturnedOnce() throws Exception {
        assertThat(auth.bootstrapAdmin(Optional.empty(), ctx)).isEmpty();
        Path other = dir.resolve("other");
        try (Database fresh = Database.sqlite(other)) {
            Auth second = TestAuth.open(fresh, other, clock);
            String generated = second.bootstrapAdmin(Optional.empty(), ctx).orElseThrow();
            assertThat(generated).hasSizeGreaterThanOrEqualTo(40);
            assertThat(second.authenticator().password("admin", generated, ctx).has(Role.ADMIN)).isTrue();
            assertThat(second.bootstrapAdmin(Optional.empty(), ctx)).isEmpty();
        }
    }

    @Test
    void robotSecretsAreStoredHashedExpireAndRecordLastUse() {
        Identities.NewRobot robot = auth.administration().addRobot(admin, ctx, "ci", "acme", Role.DEVELOPER,
                List.of("unscanned/acme/*"), Optional.of(clock.instant().plus(Duration.ofDays(1))));
        assertThat(robot.robot().name()).isEqualTo("acme+ci");
        String stored = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT secret_hash FROM auth_robot");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).isEqualTo(Secrets.sha256(robot.secret())).doesNotContain(robot.secret());
        assertThat(robot.robot().lastUsedAt()).isEmpty();
        clock.advance(Duration.ofHours(1));
        Principal p = auth.authenticator().password("acme+ci", robot.secret(), ctx);
        assertThat(p.kind()).isEqualTo(Principal.Kind.ROBOT);
        assertThat(auth.identities().robotRow("acme+ci").orElseThrow().lastUsedAt()).contains(clock.instant());
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> auth.authenticator().password("acme+ci", robot.secret(), ctx))
                .isInstanceOf(AuthException.class);
        assertThat(audit("admin.robot.create")).singleElement().satisfies(e -> {
            assertThat(e.event().detail()).doesNotContain(robot.secret());
            assertThat(e.event().source()).isEqualTo("10.0.0.7");
            assertThat(e.event().requestId()).isEqualTo("req-1");
        });
    }

    @Test
    void maintainersManageTheirTeamOnly() {
        auth.administration().addTeam(admin, ctx, "other");
        auth.administration().addUser(admin, ctx, "mia", "mia's long password", Optional.of(Grant.inTeam("acme",
                Role.MAINTAINER)));
        Principal mia = auth.identities().principal("mia").orElseThrow();
        auth.administration().addUser(mia, ctx, "dan", "dan's long password", Optional.of(Grant.inTeam("acme",
                Role.DEVELOPER)));
        assertThatThrownBy(() -> auth.administration().grant(mia, ctx, "dan", Grant.global(Role.ADMIN)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.reason())
                        .isEqualTo(AuthException.Reason.FORBIDDEN));
        assertThatThrownBy(() -> auth.administration().grant(mia, ctx, "dan", Grant.inTeam("other", Role.READER)))
                .isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> auth.administration().addRobot(mia, ctx, "x", "other", Role.READER, List.of(),
                Optional.empty())).isInstanceOf(AuthException.class);
        assertThat(audit("admin.role.grant")).extracting(e -> e.event().outcome()).containsExactly("denied", "denied");
    }

    @Test
    void robotsManageNoIdentitiesEvenAsMaintainers() {
        Identities.NewRobot limited = auth.administration().addRobot(admin, ctx, "deploy", "acme", Role.MAINTAINER,
                List.of("unscanned/acme/app"), Optional.empty());
        Identities.NewRobot unlimited = auth.administration().addRobot(admin, ctx, "ops", "acme", Role.MAINTAINER,
                List.of(), Optional.empty());
        auth.administration().addUser(admin, ctx, "dan", "dan's long password", Optional.empty());
        for (Identities.NewRobot robot : List.of(limited, unlimited)) {
            Principal p = auth.authenticator().password(robot.robot().name(), robot.secret(), ctx);
            assertThatThrownBy(() -> auth.administration().addRobot(p, ctx, "free", "acme", Role.MAINTAINER,
                    List.of(), Optional.empty())).isInstanceOfSatisfying(AuthException.class,
                    e -> assertThat(e.reason()).isEqualTo(AuthException.Reason.FORBIDDEN));
            assertThatThrownBy(() -> auth.administration().addUser(p, ctx, "human", "a long enough password",
                    Optional.of(Grant.inTeam("acme", Role.MAINTAINER)))).isInstanceOf(AuthException.class);
            assertThatThrownBy(() -> auth.administration().grant(p, ctx, "dan", Grant.inTeam("acme",
                    Role.MAINTAINER))).isInstanceOf(AuthException.class);
            assertThatThrownBy(() -> auth.administration().deleteRobot(p, ctx, "acme+ops"))
                    .isInstanceOf(AuthException.class);
            assertThatThrownBy(() -> auth.administration().robots(p)).isInstanceOf(AuthException.class);
        }
        assertThat(auth.identities().robots()).extracting(Identities.RobotInfo::name)
                .containsExactly("acme+deploy", "acme+ops");
        assertThat(auth.identities().principal("human")).isEmpty();
        assertThat(auth.identities().principal("dan").orElseThrow().grants()).isEmpty();
    }

    @Test
    void disablingAUserRevokesTheirRefreshTokensAndLogins() {
        auth.administration().addUser(admin, ctx, "leo", "leo's long password", Optional.empty());
        String refresh = auth.refreshTokens().issue(auth.identities().principal("leo").orElseThrow());
        auth.administration().setUserDisabled(admin, ctx, "leo", true);
        assertThatThrownBy(() -> auth.authenticator().refresh(refresh, ctx)).hasMessageContaining("revoked");
        assertThatThrownBy(() -> auth.authenticator().password("leo", "leo's long password", ctx))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void aRefreshTokenRedeemsOnlyForTheIdentityAndGenerationItWasIssuedTo() {
        auth.administration().addUser(admin, ctx, "leo", "leo's long password", Optional.empty());
        Principal leo = auth.authenticator().password("leo", "leo's long password", ctx);
        String current = auth.refreshTokens().issue(leo);
        assertThat(auth.authenticator().refresh(current, ctx).name()).isEqualTo("leo");
        // A login that raced a password change: its token belongs to the old password's generation.
        auth.administration().setPassword(admin, ctx, "leo", "leo's newer password");
        String raced = auth.refreshTokens().issue(leo);
        assertThatThrownBy(() -> auth.authenticator().refresh(raced, ctx)).hasMessageContaining("log in again");
        Principal renewed = auth.authenticator().password("leo", "leo's newer password", ctx);
        assertThat(auth.authenticator().refresh(auth.refreshTokens().issue(renewed), ctx).identity())
                .isEqualTo(renewed.identity());

        Identities.NewRobot gone = auth.administration().addRobot(admin, ctx, "gone", "acme", Role.READER,
                List.of(), Optional.empty());
        String robotToken = auth.refreshTokens().issue(auth.authenticator().password("acme+gone", gone.secret(),
                ctx));
        auth.administration().deleteRobot(admin, ctx, "acme+gone");
        Identities.NewRobot successor = auth.administration().addRobot(admin, ctx, "gone", "acme",
                Role.MAINTAINER, List.of(), Optional.empty());
        assertThatThrownBy(() -> auth.authenticator().refresh(robotToken, ctx)).hasMessageContaining("revoked");
        assertThat(successor.robot().role()).isEqualTo(Role.MAINTAINER);
    }

    @Test
    void aTokenOfADeletedRobotIsRefusedEvenWhenNeverRevoked() {
        Identities.NewRobot gone = auth.administration().addRobot(admin, ctx, "gone", "acme", Role.READER,
                List.of(), Optional.empty());
        String token = auth.refreshTokens().issue(auth.authenticator().password("acme+gone", gone.secret(), ctx));
        // The robot's row goes without the revocation Administration adds (an older node, or a manual delete).
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM auth_robot WHERE name = 'acme+gone'")) {
                return s.executeUpdate();
            }
        });
        auth.administration().addRobot(admin, ctx, "gone", "acme", Role.MAINTAINER, List.of(), Optional.empty());
        assertThatThrownBy(() -> auth.authenticator().refresh(token, ctx)).hasMessageContaining("log in again");
    }

    @Test
    void failedLoginsAreAuditedWithoutTheSecret() {
        assertThatThrownBy(() -> auth.authenticator().password("admin", "guess number one", ctx))
                .isInstanceOf(AuthException.class);
        assertThat(audit("auth.login")).filteredOn(e -> e.event().outcome().equals("failure")).singleElement()
                .satisfies(e -> assertThat(e.toJson().toString()).doesNotContain("guess number one"));
    }
}
