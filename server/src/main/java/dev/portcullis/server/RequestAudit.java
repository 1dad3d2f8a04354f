package dev.portcullis.server;

import dev.portcullis.oci.Namespace;
import dev.portcullis.auth.audit.AuditEvent;
import dev.portcullis.auth.audit.AuditLog;

/**
 * Appends the registry's state changes (manifest push, manifest and blob delete) to the audit log once the
 * response status is known, and refused blob uploads (a write to {@code scanned/} or outside the caller's rights
 * shows up at its first request, long before a manifest). Accepted blob uploads are not recorded one by one: the
 * manifest push that uses them is. The 401 of the normal token round-trip is not recorded: there is nobody to
 * attribute it to, and token failures are recorded by the guard.
 */
final class RequestAudit {
    private final AuditLog log;
    private final Clients clients;

    RequestAudit(AuditLog log, Clients clients) {
        this.log = log;
        this.clients = clients;
    }

    void record(Route route, Exchange ex, int status) {
        String t = route.template();
        String action;
        String target;
        if (route.method().equals("PUT") && t.endsWith("/manifests/{reference}")) {
            action = "registry.push";
            target = ex.path("name") + reference(ex.path("reference"));
        } else if (route.method().equals("DELETE") && t.endsWith("/manifests/{reference}")) {
            action = "registry.delete";
            target = ex.path("name") + reference(ex.path("reference"));
        } else if (route.method().equals("DELETE") && t.endsWith("/blobs/{digest}")) {
            action = "registry.blob.delete";
            target = ex.path("name") + "@" + ex.path("digest");
        } else if (t.contains("/blobs/uploads/") && !route.method().equals("GET") && status == 403) {
            action = "registry.blob.upload";
            target = ex.path("name");
        } else {
            return;
        }
        if (status == 401) {
            return;
        }
        String outcome = status < 400 ? AuditEvent.SUCCESS : status == 403 ? AuditEvent.DENIED : AuditEvent.FAILURE;
        log.append(new AuditEvent(ex.principal().name(), clients.auditSource(ex), action, target,
                Namespace.of(ex.path("name")).team().orElse(""), outcome, ex.requestId(), "HTTP " + status));
    }

    private static String reference(String reference) {
        return reference.contains(":") ? "@" + reference : ":" + reference;
    }
}
