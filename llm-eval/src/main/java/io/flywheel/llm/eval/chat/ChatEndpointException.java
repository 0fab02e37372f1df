package io.flywheel.llm.eval.chat;

/** The chat endpoint refused or failed a request for good; {@code status} is its HTTP status, 0 when none came. */
public class ChatEndpointException extends RuntimeException {

    private final int status;

    public ChatEndpointException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
