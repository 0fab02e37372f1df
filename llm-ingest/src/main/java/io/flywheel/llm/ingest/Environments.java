package io.flywheel.llm.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/** Langfuse's environment rule, so a client sees the same environment names here as there. */
public final class Environments {
    public static final String DEFAULT = "default";
    public static final int MAX_LENGTH = 40;

    private static final Pattern LANGFUSE_PREFIX = Pattern.compile("^langfuse[-_]");
    private static final Pattern VALID = Pattern.compile("^[a-z0-9-_]+$");

    private Environments() {
    }

    /**
     * Lowercased, any leading {@code langfuse-} or {@code langfuse_} stripped (that prefix is reserved
     * for Langfuse's own environments), cut to 40 characters; {@code default} when
     * what is left has other characters than a-z, 0-9, '-' and '_'. Null when not sent: a later update
     * without one must not overwrite an environment sent before; readers show a missing one as {@code default}.
     */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String env = LANGFUSE_PREFIX.matcher(raw.trim().toLowerCase(Locale.ROOT)).replaceFirst("");
        if (env.length() > MAX_LENGTH) {
            env = env.substring(0, MAX_LENGTH);
        }
        return VALID.matcher(env).matches() ? env : DEFAULT;
    }
}
