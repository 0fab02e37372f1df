package io.flywheel.llm.ingest.langfuse;

import io.flywheel.llm.ingest.Mapped;
import java.util.List;

/**
 * What one ingestion batch became, and Langfuse's 207 answer for it: one success or one error per
 * event, keyed by the event's envelope id (not {@code body.id}). Both lists are always present in
 * the answer (the v3 SDK crashes on a 207 without {@code errors}).
 */
public record IngestionResult(Mapped mapped, List<Success> successes, List<Failure> errors) {

    public IngestionResult {
        successes = List.copyOf(successes);
        errors = List.copyOf(errors);
    }

    /** @param status 201 for an accepted event, as Langfuse answers */
    public record Success(String id, int status) {
    }

    /**
     * @param status  400 for an invalid event
     * @param message Langfuse's {@code "Invalid request data"} for a validation error
     * @param error   what is wrong with the event, for the client's log
     */
    public record Failure(String id, int status, String message, String error) {
    }
}
