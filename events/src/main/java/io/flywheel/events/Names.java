package io.flywheel.events;

/** Name rules every service applies the same way. */
public final class Names {
    /** Model and dataset names: letters, digits, '-', '_' and '.', 1 to 128 characters; safe in URLs, S3 keys and Kafka keys. */
    public static final String PATTERN = "[A-Za-z0-9._-]{1,128}";

    private Names() {
    }
}
