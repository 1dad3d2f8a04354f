package dev.portcullis.gate;

import dev.portcullis.policy.ExceptionGrant;
import java.time.Instant;

/**
 * What a grantor asks for; the gate adds the id, the approver (the grantor) and the time, and checks the bounds.
 *
 * @param purlPattern null for every package, else a package URL pattern
 * @param ticket a link to the ticket, may be empty
 */
public record ExceptionRequest(String advisory, ExceptionGrant.Scope scope, String purlPattern, String reason,
                               String ticket, Instant expiresAt) {
}
