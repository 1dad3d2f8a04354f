package dev.portcullis.gate;

import dev.portcullis.auth.audit.AuditLog;
import dev.portcullis.storage.JdbcMetadataStore;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the outbox ({@link dev.portcullis.storage.EventOutbox}) records: every state change of an image, an exception,
 * a policy or the vulnerability database. Receivers filter by these ids; they are a contract, never renamed.
 */
public enum EventType {
    IMAGE_PUSHED(JdbcMetadataStore.IMAGE_PUSHED),
    SCAN_STARTED("scan.started"),
    SCAN_COMPLETED("scan.completed"),
    IMAGE_PROMOTED("image.promoted"),
    IMAGE_REJECTED("image.rejected"),
    IMAGE_ERROR("image.error"),
    IMAGE_AT_RISK("image.at-risk"),
    IMAGE_QUARANTINED("image.quarantined"),
    IMAGE_RESTORED("image.restored"),
    EXCEPTION_GRANTED("exception.granted"),
    EXCEPTION_REVOKED("exception.revoked"),
    EXCEPTION_EXPIRING("exception.expiring"),
    EXCEPTION_EXPIRED("exception.expired"),
    POLICY_CHANGED("policy.changed"),
    BREAKGLASS_USED("breakglass.used"),
    VULNDB_UPDATED("vulndb.updated"),
    VULNDB_UPDATE_FAILED("vulndb.update-failed"),
    AUDIT_CHECKPOINT(AuditLog.CHECKPOINT_EVENT);

    private final String id;

    EventType(String id) {
        this.id = id;
    }

    /** The name receivers see, as {@code image.at-risk}. */
    public String id() {
        return id;
    }

    public static Optional<EventType> ofId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
