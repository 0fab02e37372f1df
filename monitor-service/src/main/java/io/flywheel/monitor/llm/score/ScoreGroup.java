package io.flywheel.monitor.llm.score;

/**
 * What a score is attached to when scores are grouped: a prompt version (by its observation, or every
 * prompt version of its trace's observations for a trace-level score) or an LLM model.
 */
public record ScoreGroup(String promptName, Integer promptVersion, String model) {

    /** How scores are grouped: {@code prompt} (prompt name and version) or {@code model}. */
    public enum By {
        PROMPT, MODEL;

        public static By parse(String value) {
            if ("prompt".equals(value)) {
                return PROMPT;
            }
            if ("model".equals(value)) {
                return MODEL;
            }
            throw new IllegalArgumentException("group_by must be 'prompt' or 'model', was '" + value + "'");
        }

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** By prompt name then version (v9 before v10), or by model. */
    public static final java.util.Comparator<ScoreGroup> ORDER = java.util.Comparator
            .comparing((ScoreGroup g) -> g.promptName != null ? g.promptName : g.model)
            .thenComparing(g -> g.promptVersion == null ? 0 : g.promptVersion);

    /** "name v3" for a prompt version, the model's name for a model. */
    public String label() {
        return promptName != null ? promptName + " v" + promptVersion : model;
    }

    /** A key that tells groups apart in storage: "prompt:name:v3" or "model:name". */
    public String key() {
        return promptName != null ? "prompt:" + promptName + ":v" + promptVersion : "model:" + model;
    }
}
