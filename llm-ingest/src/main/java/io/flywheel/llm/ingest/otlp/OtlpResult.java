package io.flywheel.llm.ingest.otlp;

import io.flywheel.llm.ingest.Mapped;
import java.util.List;

/**
 * What one OTLP export became. The endpoint answers 200 with OTLP's {@code partial_success}
 * ({@code rejectedSpans} and the error lines) so that a user's flush never fails for a bad span.
 *
 * @param errors one line per rejected span, saying where it was in the request and what to fix
 */
public record OtlpResult(Mapped mapped, int rejectedSpans, List<String> errors) {

    public OtlpResult {
        errors = List.copyOf(errors);
    }

    /** OTLP's partial_success.error_message: the first few error lines, empty when none. */
    public String errorMessage() {
        if (errors.isEmpty()) {
            return "";
        }
        String first = String.join("; ", errors.subList(0, Math.min(5, errors.size())));
        return errors.size() > 5 ? first + "; and " + (errors.size() - 5) + " more" : first;
    }
}
