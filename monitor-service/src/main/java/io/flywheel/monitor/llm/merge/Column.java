package io.flywheel.monitor.llm.merge;

/**
 * A merged column: its name, its SQL type ({@code text}, {@code timestamptz}, {@code jsonb}, {@code text[]}...)
 * and the rule by which a value sent merges with the one held ({@link Fields#merge}, {@link UpsertSql}).
 */
public record Column(String name, String sqlType, Rule rule) {

    public enum Rule {
        /** The value of the message received last that sent one. */
        LATEST,
        /**
         * The smallest value any message sent (a trace's timestamp: Langfuse's SDKs send a fresh one with
         * every update of the trace).
         */
        EARLIEST,
        /** A list: every element any message sent, once each, sorted (a trace's tags, as Langfuse keeps them). */
        UNION,
        /**
         * An object: the keys any message sent, a key sent by several holding the value of the one received
         * last (metadata, as Langfuse merges it; a later message's whole value no longer replaces it).
         */
        MERGE
    }

    public Column(String name, String sqlType) {
        this(name, sqlType, Rule.LATEST);
    }
}
