package dev.portcullis.scanner.source;

import dev.portcullis.oci.Descriptor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where an image comes from: an OCI layout directory or archive, a {@code docker save} archive, or a registry.
 * Created by {@link ImageSources#open}.
 */
public interface ImageSource extends Closeable {

    /** The reference as the user gave it, e.g. {@code oci:images/app:1.0}. */
    String reference();

    /**
     * The images the reference names, one per platform when it names an index, filtered to {@code platform}
     * ({@code os/arch[/variant]}) when that is not null.
     *
     * @throws SourceException when the reference names nothing usable
     */
    List<SourceImage> images(String platform) throws IOException;

    /** A fresh stream of a blob's bytes (a layer, usually compressed); the caller closes it. */
    InputStream open(Descriptor blob) throws IOException;
}
