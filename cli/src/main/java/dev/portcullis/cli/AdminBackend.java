package dev.portcullis.cli;

import dev.portcullis.auth.Role;
import dev.portcullis.auth.audit.AuditEntry;
import dev.portcullis.auth.audit.AuditQuery;
import dev.portcullis.auth.audit.AuditVerifier;
import dev.portcullis.auth.audit.Checkpoint;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code portcullis admin} and {@code portcullis audit} do, against the database directly ({@code --data DIR},
 * {@link LocalBackend}) or through the management API of a running server ({@code --server URL},
 * {@link RemoteBackend}).
 */
interface AdminBackend extends AutoCloseable {
    void addTeam(String name) throws Exception;

    void addUser(String name, String password, Optional<String> team, Optional<Role> role) throws Exception;

    void grant(String user, Optional<String> team, Role role) throws Exception;

    void revoke(String user, Optional<String> team, Role role) throws Exception;

    void deleteRobot(String name) throws Exception;

    /** Returns the robot's full name and its secret. */
    String[] addRobot(String name, String team, Role role, List<String> repositories, Optional<Instant> expiresAt)
            throws Exception;

    void setAnonymousPull(List<String> patterns) throws Exception;

    List<AuditEntry> query(AuditQuery query) throws Exception;

    void export(OutputStream out) throws Exception;

    /** Verifies the log, and that it still holds {@code head}, a signed head kept outside the database. */
    AuditVerifier.Report verify(Optional<Checkpoint> head) throws Exception;

    @Override
    void close() throws Exception;
}
