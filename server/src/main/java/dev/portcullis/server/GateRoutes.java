package dev.portcullis.server;

import java.util.List;

/**
 * The gate's API table ({@code /api/v1}): images and their verdicts, findings and reports, policies and their
 * versions, dry runs, exceptions, break-glass, jobs and events, each with the access it needs. {@code openapi.json}
 * describes exactly these routes (OpenApiTest checks both ways). {@code {name}} is a repository name with its
 * slashes, as pushed ({@code unscanned/acme/app}; a {@code scanned/} name means its {@code unscanned/} source).
 */
final class GateRoutes {
    private GateRoutes() {
    }

    /** One route and what it needs. */
    record Entry(String method, String template, GateAccess access, Handler handler) {
        Route route() {
            return Route.of(method, template, ex -> {
                access.require(ex.principal());
                handler.handle(ex);
            });
        }
    }

    /** The code behind a gate route. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange ex) throws Exception;
    }

    static List<Entry> of(GateEndpoints e) {
        return List.of(
                new Entry("GET", "/api/v1/openapi.json", GateAccess.ANYONE, e::openApi),
                new Entry("GET", "/api/v1/images", GateAccess.READ, e::images),
                new Entry("GET", "/api/v1/repositories/{name}/images/{reference}", GateAccess.READ, e::image),
                new Entry("GET", "/api/v1/repositories/{name}/images/{reference}/findings", GateAccess.READ,
                        e::findings),
                new Entry("GET", "/api/v1/repositories/{name}/images/{reference}/report.{format}", GateAccess.READ,
                        e::report),
                new Entry("GET", "/api/v1/policies", GateAccess.READ, e::policies),
                new Entry("POST", "/api/v1/policies/dry-run", GateAccess.POLICY, e::dryRun),
                new Entry("GET", "/api/v1/policies/{owner}", GateAccess.READ, e::policy),
                new Entry("PUT", "/api/v1/policies/{owner}", GateAccess.POLICY, e::applyPolicy),
                new Entry("GET", "/api/v1/policies/{owner}/versions", GateAccess.READ, e::policyHistory),
                new Entry("GET", "/api/v1/policies/{owner}/versions/{version}", GateAccess.READ, e::policyVersion),
                new Entry("GET", "/api/v1/policies/{owner}/diff", GateAccess.READ, e::policyDiff),
                new Entry("GET", "/api/v1/exceptions", GateAccess.READ, e::exceptions),
                new Entry("POST", "/api/v1/exceptions", GateAccess.EXCEPTION, e::grantException),
                new Entry("DELETE", "/api/v1/exceptions/{id}", GateAccess.EXCEPTION, e::revokeException),
                new Entry("GET", "/api/v1/break-glass", GateAccess.SECURITY, e::breakGlasses),
                new Entry("POST", "/api/v1/break-glass", GateAccess.SECURITY, e::breakGlass),
                new Entry("GET", "/api/v1/jobs", GateAccess.READ, e::jobs),
                new Entry("GET", "/api/v1/events", GateAccess.READ, e::events));
    }
}
