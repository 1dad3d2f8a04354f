package dev.portcullis.server;

import java.util.List;

/** The OCI Distribution Spec 1.1 endpoint table, in the spec's order (end-1 … end-13 and extensions). */
final class RegistryRoutes {
    private RegistryRoutes() {
    }

    static List<Route> of(RegistryEndpoints e) {
        return List.of(
                Route.of("GET", "/v2/", e::base),                                              // end-1
                Route.of("GET", "/v2/_catalog", e::catalog),                                   // catalog
                Route.of("POST", "/v2/{name}/blobs/uploads/", e::startUpload),                 // end-4a/4b/11
                Route.of("GET", "/v2/{name}/blobs/uploads/{uuid}", e::uploadStatus),           // end-13
                Route.of("PATCH", "/v2/{name}/blobs/uploads/{uuid}", e::uploadChunk),          // end-5
                Route.of("PUT", "/v2/{name}/blobs/uploads/{uuid}", e::completeUpload),         // end-6
                Route.of("DELETE", "/v2/{name}/blobs/uploads/{uuid}", e::cancelUpload),
                Route.of("GET", "/v2/{name}/blobs/{digest}", e::getBlob),                      // end-2
                Route.of("HEAD", "/v2/{name}/blobs/{digest}", e::getBlob),                     // end-2
                Route.of("DELETE", "/v2/{name}/blobs/{digest}", e::deleteBlob),                // end-10
                Route.of("GET", "/v2/{name}/manifests/{reference}", e::getManifest),           // end-3
                Route.of("HEAD", "/v2/{name}/manifests/{reference}", e::getManifest),          // end-3
                Route.of("PUT", "/v2/{name}/manifests/{reference}", e::putManifest),           // end-7
                Route.of("DELETE", "/v2/{name}/manifests/{reference}", e::deleteManifest),     // end-9
                Route.of("GET", "/v2/{name}/tags/list", e::tags),                              // end-8a/8b
                Route.of("GET", "/v2/{name}/referrers/{digest}", e::referrers));               // end-12a/12b
    }
}
