package io.flywheel.linear;

/** What a linear model predicts; its id is the artifact's {@code task} value. */
public enum Task {
    /** Logistic regression: the probability of the positive label, and a label by threshold. */
    BINARY_CLASSIFICATION("binary-classification"),
    /** Linear regression: a number. */
    REGRESSION("regression");

    private final String id;

    Task(String id) {
        this.id = id;
    }

    /** The artifact's and the parameters' spelling, e.g. {@code binary-classification}. */
    public String id() {
        return id;
    }

    /** The task with this id; an IllegalArgumentException names the accepted ids otherwise. */
    public static Task of(String id) {
        for (Task task : values()) {
            if (task.id.equals(id)) {
                return task;
            }
        }
        throw new IllegalArgumentException(
                "unknown task '" + id + "' (expected binary-classification or regression)");
    }

    @Override
    public String toString() {
        return id;
    }
}
