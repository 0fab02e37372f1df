package io.flywheel.registry.rest;

/** An error on Langfuse's routes, answered in Langfuse's shape {@code {"message", "error"}} (LangfusePromptResource maps it). */
public class LangfuseException extends RuntimeException {

    private final int status;
    private final String error;

    public LangfuseException(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static LangfuseException invalid(String message) {
        return new LangfuseException(400, "InvalidRequestError", message);
    }

    public static LangfuseException notFound(String message) {
        return new LangfuseException(404, "LangfuseNotFoundError", message);
    }

    public static LangfuseException forbidden(String message) {
        return new LangfuseException(403, "AccessDeniedError", message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
