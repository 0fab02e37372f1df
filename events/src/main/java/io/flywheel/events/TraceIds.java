package io.flywheel.events;

/** Id rules of LLM traces, observations and scores: what Langfuse accepts (1 to 800 characters, no line breaks). */
public final class TraceIds {
    public static final int MAX_LENGTH = 800;

    private TraceIds() {
    }

    static void require(String field, String id) {
        if (!valid(id)) {
            throw new IllegalArgumentException(field + " is required: 1 to " + MAX_LENGTH + " characters without line breaks");
        }
    }

    public static boolean valid(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH && id.indexOf('\r') < 0 && id.indexOf('\n') < 0;
    }
}
