package io.flywheel.onnx;

import java.util.List;

/**
 * Model bytes that are not an ONNX model, are cut short, or are a model that this runtime cannot
 * serve. The message says what is wrong in words fit for the person who uploaded the file, e.g.
 * {@code not an ONNX model: the file is empty} or {@code truncated at byte 1024: ...};
 * {@link #problems()} lists each reason on its own when there are several (see {@link OnnxSupport}).
 */
public final class InvalidModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidModelException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** A model that reads well but cannot be served: one message naming every problem. */
    public static InvalidModelException unsupported(List<String> problems) {
        return new InvalidModelException("ONNX Runtime " + OnnxSupport.RUNTIME_VERSION + " cannot serve this model: "
                + String.join("; ", problems), problems);
    }

    private InvalidModelException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** The reasons, one per entry; a single entry (the message) for a file that does not parse. */
    public List<String> problems() {
        return problems;
    }
}
