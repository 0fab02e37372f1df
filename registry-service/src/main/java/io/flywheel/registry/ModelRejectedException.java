package io.flywheel.registry;

/**
 * An uploaded model the registry will not hold: not ONNX, cut short, not servable by ONNX Runtime,
 * or not fitting the version's signature. The message says which and why; nothing was stored.
 */
public class ModelRejectedException extends RegistryException {
    public ModelRejectedException(String message) {
        super(message);
    }
}
