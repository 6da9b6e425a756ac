package dev.semaphore.common;

/**
 * A failure that reaches the client as {@code {"error": message}} with the given HTTP status (and, for
 * some, upstream's further fields such as {@code inUse}).
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final java.util.Map<String, Object> fields;

    public ApiException(int status, String message) {
        this(status, message, java.util.Map.of());
    }

    private ApiException(int status, String message, java.util.Map<String, Object> fields) {
        super(message, null, false, false);
        this.status = status;
        this.fields = fields;
    }

    /** Fields the error body carries beside {@code error}. */
    public java.util.Map<String, Object> fields() {
        return fields;
    }

    /** 400 for a delete refused because something uses the object: upstream's {@code {"error", "inUse": true}}. */
    public static ApiException inUse(String message) {
        return new ApiException(400, message, java.util.Map.of("inUse", true));
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
