package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Secrets in the text files of each layer. Each layer is scanned on its own, so a key deleted by a whiteout in an
 * upper layer is still found in the layer that holds it. Bounded: binary files (a NUL byte in the first 8 KiB:
 * shared objects carry PEM parser constants that are not keys), files of formats that cannot hold text secrets,
 * and files over {@link #MAX_BYTES} are not read; a file whose name says it holds credentials (a key, an
 * {@code .npmrc}) but is over the limit is reported as unreadable rather than skipped.
 */
public final class SecretFileAnalyzer implements Analyzer {
    static final int MAX_BYTES = SecretText.MAX_BYTES;

    private static final Pattern SKIPPED = Pattern.compile(
            "(?i).*\\.(?:so(?:\\.[0-9]+)*|a|o|ko|class|jar|war|ear|pyc|pyo|whl|egg|mo|gmo|png|jpe?g|gif|ico|svgz|webp"
                    + "|bmp|tiff?|pdf|woff2?|ttf|otf|eot|gz|tgz|bz2|xz|zst|zip|7z|rar|deb|rpm|apk|wasm|db|sqlite"
                    + "|mp3|mp4|ogg|wav)$"
                    + "|(?:.*/)?(?:usr/share/(?:doc|man|info|locale|i18n|zoneinfo|mime|terminfo)|var/lib/dpkg"
                    + "|lib/apk/db|var/lib/rpm|usr/lib/locale)/.*");
    private static final Pattern CREDENTIAL_FILE = Pattern.compile(
            "(?:.*/)?(?:\\.npmrc|\\.pypirc|\\.netrc|\\.git-credentials|\\.dockercfg|\\.env|id_(?:rsa|dsa|ecdsa|ed25519)"
                    + "|[^/]*\\.(?:pem|key|p8))|.*\\.docker/config\\.json");

    private final SecretText text = new SecretText();

    @Override
    public String id() {
        return "secrets";
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public boolean accepts(String path, long size) {
        if (size <= 0) {
            return false;
        }
        if (CREDENTIAL_FILE.matcher(path).matches()) {
            return true;
        }
        return size <= MAX_BYTES && !SKIPPED.matcher(path).matches();
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        if (file.size() > MAX_BYTES) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), "secrets: credential file of " + file.size()
                    + " bytes is over the " + MAX_BYTES + "-byte limit and was not searched"));
            return;
        }
        text.scan(file.layer(), file.path(), file.content().readNBytes(MAX_BYTES), sink);
    }
}
