package dev.portcullis.registry;

import java.util.Map;

/**
 * A request the registry refuses, with the spec error code and a detail that tells the user what to fix.
 * {@code headers} carries response headers the spec requires with some errors (e.g. {@code Range} on 416).
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, String> headers;

    public RegistryException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public RegistryException(ErrorCode code, String detail, Map<String, String> headers) {
        super(detail);
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
