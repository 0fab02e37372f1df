package io.flywheel.registry;

/** An archived model takes no new versions until it is unarchived. */
public class ModelArchivedException extends RegistryException {
    public ModelArchivedException(String model) {
        super("model '" + model + "' is archived; set \"archived\": false with PATCH to register new versions");
    }
}
