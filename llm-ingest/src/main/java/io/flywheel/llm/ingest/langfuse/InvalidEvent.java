package io.flywheel.llm.ingest.langfuse;

/** One event of a batch is invalid: it goes to the answer's errors, the rest of the batch is kept. */
final class InvalidEvent extends RuntimeException {

    InvalidEvent(String message) {
        super(message, null, false, false);
    }
}
