package dev.portcullis.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Teams, users, their grants and robot accounts, stored in the database. */
public final class Identities {
    /**
     * Verifying against this when the user is unknown keeps the response time from revealing which names exist.
     * Made on the first such login, not at start: it costs an Argon2id hash every CLI command would otherwise pay.
     */
    private String dummyHash; // guarded by this
    private final Database db;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final Secrets secrets;
    /**
     * Each Argon2id verification takes 19 MiB and a few hundred milliseconds: a flood of logins must queue, not
     * exhaust memory. Beyond a short wait the caller is told to come back.
     */
    private final Semaphore hashing = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    public Identities(Database db, Clock clock, PasswordHasher hasher, Secrets secrets) {
        this.db = db;
        this.clock = clock;
        this.hasher = hasher;
        this.secrets = secrets;
    }

    private synchronized String dummyHash() {
        if (dummyHash == null) {
            dummyHash = hasher.hash("not a password of anyone", secrets.random());
        }
        return dummyHash;
    }

    /** A user as listed by the management API. */
    public record UserInfo(String name, boolean disabled, List<Grant> grants, Instant createdAt) {
    }

    /** A robot account as listed by the management API (never with its secret). */
    public record RobotInfo(String name, String team, Role role, List<String> repositories, String createdBy,
                            Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> lastUsedAt,
                            boolean disabled) {
    }

    /** A robot just created: the only time its secret exists outside the caller's hands. */
    public record NewRobot(RobotInfo robot, String secret) {
    }

    // ---- teams ------------------------------------------------------------------------------------------------

    void addTeam(String name) {
        Names.requireTeam(name);
        db.inTransaction(c -> {
            if (exists(c, "SELECT 1 FROM auth_team WHERE name = ?", name)) {
                throw new AuthException(AuthException.Reason.CONFLICT, "team " + name + " already exists");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auth_team (name, created_at) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setString(2, clock.instant().toString());
                s.executeUpdate();
            }
            return null;
        });
    }

    public List<String> teams() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM auth_team ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    // ---- users ------------------------------------------------------------------------------------------------

    public boolean hasUsers() {
        return db.read(c -> exists(c, "SELECT 1 FROM auth_user LIMIT 1"));
    }

    void addUser(String name, String password, List<Grant> grants) {
        Names.requireUser(name);
        PasswordHasher.requireAcceptable(password);
        String hash = hasher.hash(password, secrets.random());
        db.inTransaction(c -> {
            if (exists(c, "SELECT 1 FROM auth_user WHERE name = ?", name)) {
                throw new AuthException(AuthException.Reason.CONFLICT, "user " + name + " already exists");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auth_user (name, password_hash, disabled,"
                    + " created_at, id, generation) VALUES (?, ?, 0, ?, ?, 1)")) {
                s.setString(1, name);
                s.setString(2, hash);
                s.setString(3, clock.instant().toString());
                s.setString(4, newId("u-"));
                s.executeUpdate();
            }
            for (Grant g : grants) {
                insertGrant(c, name, g);
            }
            return null;
        });
    }

    void setPassword(String name, String password) {
        PasswordHasher.requireAcceptable(password);
        String hash = hasher.hash(password, secrets.random());
        update("UPDATE auth_user SET password_hash = ?, generation = generation + 1 WHERE name = ?", hash, name,
                "user " + name);
    }

    void grant(String user, Grant grant) {
        db.inTransaction(c -> {
            requireUserRow(c, user);
            if (!exists(c, "SELECT 1 FROM auth_grant WHERE principal = ? AND team = ? AND role = ?", user,
                    grant.team().orElse(""), grant.role().wire())) {
                insertGrant(c, user, grant);
            }
            return null;
        });
    }

    void revoke(String user, Grant grant) {
        db.inTransaction(c -> {
            requireUserRow(c, user);
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM auth_grant WHERE principal = ? AND team = ? AND role = ?")) {
                s.setString(1, user);
                s.setString(2, grant.team().orElse(""));
                s.setString(3, grant.role().wire());
                s.executeUpdate();
            }
            return null;
        });
    }

    void setUserDisabled(String name, boolean disabled) {
        update(disabled ? "UPDATE auth_user SET disabled = ?, generation = generation + 1 WHERE name = ?"
                : "UPDATE auth_user SET disabled = ? WHERE name = ?", disabled ? 1 : 0, name, "user " + name);
    }

    public List<UserInfo> users() {
        return db.read(c -> {
            List<UserInfo> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT name, disabled, created_at FROM auth_user ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new UserInfo(rs.getString(1), rs.getInt(2) != 0, List.of(),
                            Instant.parse(rs.getString(3))));
                }
            }
            List<UserInfo> withGrants = new ArrayList<>();
            for (UserInfo u : out) {
                withGrants.add(new UserInfo(u.name(), u.disabled(), grants(c, u.name()), u.createdAt()));
            }
            return withGrants;
        });
    }

    /** The enabled user or unexpired robot of that name, with its current grants. */
    public Optional<Principal> principal(String name) {
        if (Names.isRobot(name)) {
            return robot(name).filter(r -> usable(r.info())).map(Identities::robotPrincipal);
        }
        return db.read(c -> {
            Principal.Identity identity;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT disabled, id, generation FROM auth_user WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 0) {
                        return Optional.empty();
                    }
                    identity = new Principal.Identity(rs.getString(2), rs.getLong(3));
                }
            }
            return Optional.of(new Principal(name, Principal.Kind.USER, grants(c, name), List.of(),
                    Optional.of(identity)));
        });
    }

    /** Checks a user's password (or a robot's secret) and returns the principal when it matches. */
    Optional<Principal> authenticate(String name, String secret) {
        if (Names.isRobot(name)) {
            Optional<Robot> robot = robot(name);
            String stored = robot.isPresent() ? robotSecretHash(name) : Secrets.sha256("no such robot");
            if (!Secrets.matches(secret, stored) || robot.isEmpty() || !usable(robot.get().info())) {
                return Optional.empty();
            }
            update("UPDATE auth_robot SET last_used_at = ? WHERE name = ?", clock.instant().toString(), name,
                    "robot " + name);
            return Optional.of(robotPrincipal(robot.get()));
        }
        if (secret.length() > PasswordHasher.MAX_PASSWORD_LENGTH) {
            return Optional.empty(); // refused before any work: an overlong password is never right
        }
        record Row(String hash, boolean disabled, Principal.Identity identity) {
        }
        Optional<Row> row = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT password_hash, disabled, id, generation FROM auth_user WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getInt(2) != 0,
                            new Principal.Identity(rs.getString(3), rs.getLong(4)))) : Optional.<Row>empty();
                }
            }
        });
        boolean ok = verifyBounded(secret, row.map(Row::hash).orElseGet(this::dummyHash));
        if (!ok || row.isEmpty() || row.get().disabled()) {
            return Optional.empty();
        }
        // The identity the password was checked against, not whatever holds the name a moment later: a refresh
        // token issued for this login must die with a password change that raced it.
        return principal(name).filter(p -> p.identity().equals(Optional.of(row.get().identity())));
    }

    private boolean verifyBounded(String password, String hash) {
        try {
            if (!hashing.tryAcquire(5, TimeUnit.SECONDS)) {
                throw new AuthException(AuthException.Reason.LOCKED, "too many logins in progress; retry shortly",
                        Optional.of(Duration.ofSeconds(1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException(AuthException.Reason.LOCKED, "login interrupted; retry",
                    Optional.of(Duration.ofSeconds(1)));
        }
        try {
            return hasher.verify(password, hash);
        } finally {
            hashing.release();
        }
    }

    // ---- robots -----------------------------------------------------------------------------------------------

    NewRobot addRobot(String shortName, String team, Role role, List<String> repositories,
                      Optional<Instant> expiresAt, String createdBy) {
        Names.requireUser(shortName);
        Names.requireTeam(team);
        if (!role.perTeam()) {
            throw new AuthException(AuthException.Reason.INVALID, "robots hold a team role (maintainer, developer"
                    + " or reader), not " + role.wire());
        }
        repositories.forEach(RepositoryPattern::new);
        String name = team + Names.ROBOT_SEPARATOR + shortName;
        String secret = secrets.generate("pcr_");
        Instant now = clock.instant();
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new AuthException(AuthException.Reason.INVALID, "the robot's expiry must be in the future");
        }
        ArrayNode repos = Json.mapper().createArrayNode();
        repositories.forEach(repos::add);
        db.inTransaction(c -> {
            if (!exists(c, "SELECT 1 FROM auth_team WHERE name = ?", team)) {
                throw new AuthException(AuthException.Reason.NOT_FOUND, "team " + team + " does not exist");
            }
            if (exists(c, "SELECT 1 FROM auth_robot WHERE name = ?", name)) {
                throw new AuthException(AuthException.Reason.CONFLICT, "robot " + name + " already exists");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auth_robot (name, team, role, repositories,"
                    + " secret_hash, created_by, created_at, expires_at, disabled, id, generation)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1)")) {
                s.setString(1, name);
                s.setString(2, team);
                s.setString(3, role.wire());
                s.setString(4, new String(Json.write(repos), StandardCharsets.UTF_8));
                s.setString(5, Secrets.sha256(secret));
                s.setString(6, createdBy);
                s.setString(7, now.toString());
                s.setString(8, expiresAt.map(Instant::toString).orElse(null));
                s.setString(9, newId("r-"));
                s.executeUpdate();
            }
            return null;
        });
        return new NewRobot(robotRow(name).orElseThrow(), secret);
    }

    void deleteRobot(String name) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM auth_robot WHERE name = ?")) {
                s.setString(1, name);
                if (s.executeUpdate() == 0) {
                    throw new AuthException(AuthException.Reason.NOT_FOUND, "robot " + name + " does not exist");
                }
            }
            return null;
        });
    }

    public List<RobotInfo> robots() {
        return db.read(c -> {
            List<RobotInfo> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, team, role, repositories, created_by,"
                    + " created_at, expires_at, last_used_at, disabled FROM auth_robot ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(robot(rs));
                }
            }
            return out;
        });
    }

    public Optional<RobotInfo> robotRow(String name) {
        return robot(name).map(Robot::info);
    }

    /** A stored robot with its identity. */
    private record Robot(RobotInfo info, Principal.Identity identity) {
    }

    private Optional<Robot> robot(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, team, role, repositories, created_by,"
                    + " created_at, expires_at, last_used_at, disabled, id, generation FROM auth_robot"
                    + " WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Robot(robot(rs), new Principal.Identity(rs.getString(10),
                            rs.getLong(11)))) : Optional.<Robot>empty();
                }
            }
        });
    }

    private String robotSecretHash(String name) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT secret_hash FROM auth_robot WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : Secrets.sha256("no such robot");
                }
            }
        });
    }

    private boolean usable(RobotInfo r) {
        return !r.disabled() && r.expiresAt().map(e -> e.isAfter(clock.instant())).orElse(true);
    }

    private static Principal robotPrincipal(Robot robot) {
        RobotInfo r = robot.info();
        return new Principal(r.name(), Principal.Kind.ROBOT, List.of(Grant.inTeam(r.team(), r.role())),
                r.repositories(), Optional.of(robot.identity()));
    }

    /** An identity's id: its own for life, never reused by a later user or robot of the same name. */
    private String newId(String prefix) {
        byte[] bytes = new byte[16];
        secrets.random().nextBytes(bytes);
        return prefix + java.util.HexFormat.of().formatHex(bytes);
    }

    private static RobotInfo robot(ResultSet rs) throws SQLException {
        List<String> repos = new ArrayList<>();
        for (JsonNode n : Json.parse(rs.getString(4).getBytes(StandardCharsets.UTF_8))) {
            repos.add(n.asText());
        }
        return new RobotInfo(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), repos, rs.getString(5),
                Instant.parse(rs.getString(6)), Optional.ofNullable(rs.getString(7)).map(Instant::parse),
                Optional.ofNullable(rs.getString(8)).map(Instant::parse), rs.getInt(9) != 0);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static List<Grant> grants(Connection c, String user) throws SQLException {
        List<Grant> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT team, role FROM auth_grant WHERE principal = ? ORDER BY team, role")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String team = rs.getString(1);
                    out.add(new Grant(team.isEmpty() ? Optional.empty() : Optional.of(team),
                            Role.parse(rs.getString(2))));
                }
            }
        }
        return out;
    }

    private static void insertGrant(Connection c, String user, Grant g) throws SQLException {
        if (g.team().isPresent() && !exists(c, "SELECT 1 FROM auth_team WHERE name = ?", g.team().get())) {
            throw new AuthException(AuthException.Reason.NOT_FOUND, "team " + g.team().get() + " does not exist;"
                    + " create it first");
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO auth_grant (principal, team, role) VALUES (?, ?, ?)")) {
            s.setString(1, user);
            s.setString(2, g.team().orElse(""));
            s.setString(3, g.role().wire());
            s.executeUpdate();
        }
    }

    private static void requireUserRow(Connection c, String user) throws SQLException {
        if (!exists(c, "SELECT 1 FROM auth_user WHERE name = ?", user)) {
            throw new AuthException(AuthException.Reason.NOT_FOUND, "user " + user + " does not exist");
        }
    }

    private void update(String sql, Object value, String name, String what) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, value);
                s.setString(2, name);
                if (s.executeUpdate() == 0) {
                    throw new AuthException(AuthException.Reason.NOT_FOUND, what + " does not exist");
                }
            }
            return null;
        });
    }

    private static boolean exists(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
