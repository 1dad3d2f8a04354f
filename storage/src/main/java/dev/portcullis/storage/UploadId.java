package dev.portcullis.storage;

import java.util.UUID;
import java.util.regex.Pattern;

/** The id of an upload session: a random UUID, the only form accepted back from a URL (no path tricks). */
public record UploadId(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public UploadId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new UploadNotFoundException("'" + value + "' is not an upload id issued by this registry");
        }
    }

    public static UploadId random() {
        return new UploadId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
