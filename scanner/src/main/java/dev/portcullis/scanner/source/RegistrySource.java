package dev.portcullis.scanner.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls an image from a registry over the OCI distribution API with {@code java.net.http}. Handles Docker token
 * auth: on a 401 with a {@code Bearer} challenge it asks the realm for a token for the challenged scope (with
 * the user's credentials when it has some, anonymously otherwise) and retries once; a {@code Basic} challenge
 * is answered with the credentials directly. Blob redirects (to object storage) are followed without the
 * registry's Authorization header. Manifests are bounded to 4 MiB and checked against their digest.
 */
final class RegistrySource implements ImageSource {
    private static final String ACCEPT = String.join(",", MediaType.OCI_INDEX, MediaType.OCI_MANIFEST,
            MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_TOKEN_BYTES = 1 << 20;

    private final String reference;
    private final RegistryReference ref;
    private final RegistryCredentials credentials;
    private final String scheme;
    private final HttpClient http;
    private final Map<Digest, byte[]> manifests = new HashMap<>();
    private String authorization;

    RegistrySource(String reference, RegistryReference ref, RegistryCredentials credentials, boolean plainHttp) {
        this.reference = reference;
        this.ref = ref;
        this.credentials = credentials;
        this.scheme = plainHttp ? "http" : "https";
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public List<SourceImage> images(String platform) throws IOException {
        HttpResponse<InputStream> r = get(api("manifests/" + ref.reference()), ACCEPT, true);
        byte[] bytes;
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404) {
                throw new SourceException(ref.host() + "/" + ref.name() + ":" + ref.reference() + " does not exist");
            }
            check(r, "manifest " + ref.reference());
            bytes = bounded(in, ManifestParser.MAX_MANIFEST_BYTES, "manifest");
        }
        Digest digest = ref.byDigest() ? ref.digest() : r.headers().firstValue("Docker-Content-Digest")
                .map(d -> {
                    try {
                        return Digest.parse(d);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }).orElseGet(() -> Digest.sha256(bytes));
        manifests.put(digest, bytes);
        String mediaType = ManifestParser.stripParameters(r.headers().firstValue("Content-Type").orElse(null));
        Descriptor top = new Descriptor(mediaType == null ? MediaType.OCI_MANIFEST : mediaType, digest, bytes.length);
        return ImageResolver.resolve(top, this::fetch, platform);
    }

    private byte[] fetch(Descriptor d, int max) throws IOException {
        byte[] cached = manifests.get(d.digest());
        if (cached != null) {
            return cached;
        }
        boolean manifest = MediaType.isManifest(d.mediaType());
        HttpResponse<InputStream> r = manifest ? get(api("manifests/" + d.digest()), ACCEPT, true)
                : blob(d.digest());
        try (InputStream in = r.body()) {
            check(r, d.digest().toString());
            return bounded(in, max, d.digest().toString());
        }
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        HttpResponse<InputStream> r = blob(blob.digest());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("blob " + blob.digest() + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<InputStream> blob(Digest digest) throws IOException {
        HttpResponse<InputStream> r = get(api("blobs/" + digest), "*/*", true);
        for (int hop = 0; hop < MAX_REDIRECTS && isRedirect(r.statusCode()); hop++) {
            String location = r.headers().firstValue("Location")
                    .orElseThrow(() -> new IOException("redirect without Location for " + digest));
            r.body().close();
            // object storage signs its own URLs; the registry's token must not travel there
            r = get(r.request().uri().resolve(location), "*/*", false);
        }
        return r;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private URI api(String path) {
        return URI.create(scheme + "://" + ref.apiHost() + "/v2/" + ref.name() + "/" + path);
    }

    private HttpResponse<InputStream> get(URI uri, String accept, boolean registry) throws IOException {
        HttpResponse<InputStream> r = send(uri, accept, registry ? authorization : null);
        if (r.statusCode() == 401 && registry) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            r.body().close();
            authorization = authorize(challenge);
            r = send(uri, accept, authorization);
            if (r.statusCode() == 401) {
                r.body().close();
                throw new SourceException(ref.host() + " refused access to " + ref.name()
                        + credentials.forHost(ref.host()).map(c -> " for " + c.username()).orElse(" anonymously"));
            }
        }
        return r;
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String auth) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("Accept", accept)
                .GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + uri.getHost(), e);
        } catch (IOException e) {
            throw new SourceException("cannot reach " + uri.getHost() + ": " + e.getMessage(), e);
        }
    }

    private String authorize(String challenge) throws IOException {
        Optional<RegistryCredentials.Basic> basic = credentials.forHost(ref.host());
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return basic.map(RegistryCredentials.Basic::header).orElseThrow(() ->
                    new SourceException(ref.host() + " needs credentials: use --username/--password-env or "
                            + "docker login"));
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new SourceException(ref.host() + " asked for unsupported authentication '" + challenge + "'");
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw new SourceException(ref.host() + " sent a Bearer challenge without a realm");
        }
        String scope = params.getOrDefault("scope", "repository:" + ref.name() + ":pull");
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (params.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI tokenUri = URI.create(q.toString());
        HttpResponse<InputStream> r = send(tokenUri, "application/json",
                basic.map(RegistryCredentials.Basic::header).orElse(null));
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new SourceException("token service " + tokenUri.getHost() + " refused: HTTP " + r.statusCode());
            }
            JsonNode token = ImageResolver.json(bounded(in, MAX_TOKEN_BYTES, "token response"), "token response");
            String t = token.hasNonNull("token") ? token.path("token").asText()
                    : token.path("access_token").asText(null);
            if (t == null || t.isEmpty()) {
                throw new SourceException("token service " + tokenUri.getHost() + " returned no token");
            }
            return "Bearer " + t;
        }
    }

    private static void check(HttpResponse<InputStream> r, String what) throws SourceException {
        if (r.statusCode() != 200) {
            throw new SourceException(what + ": registry answered HTTP " + r.statusCode());
        }
    }

    private static byte[] bounded(InputStream in, int max, String what) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new SourceException(what + " is larger than " + max + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() {
        http.close();
    }
}
