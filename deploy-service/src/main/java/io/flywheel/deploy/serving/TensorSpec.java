package io.flywheel.deploy.serving;

import java.util.List;

/** An input or output as the v2 model metadata describes it; -1 for an axis of any extent. */
public record TensorSpec(String name, String datatype, List<Long> shape) {
}
