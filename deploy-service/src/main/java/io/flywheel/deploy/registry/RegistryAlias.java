package io.flywheel.deploy.registry;

/** An alias as the registry returns it, with the ETag to send back in If-Match when moving it. */
public record RegistryAlias(String model, String alias, int version, String etag) {
}
