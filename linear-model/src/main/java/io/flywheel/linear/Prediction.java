package io.flywheel.linear;

/** One prediction of a {@link LinearModel}. */
public sealed interface Prediction {

    /** The number the model produced: the probability for classification, the value for regression. */
    double score();

    /**
     * A binary classification.
     *
     * @param probability the probability of the positive label
     * @param label       the positive label when probability &ge; threshold, else the negative one
     * @param positive    whether the label is the positive one
     */
    record Classification(double probability, Object label, boolean positive) implements Prediction {
        @Override
        public double score() {
            return probability;
        }
    }

    /** A regression. */
    record Regression(double value) implements Prediction {
        @Override
        public double score() {
            return value;
        }
    }
}
