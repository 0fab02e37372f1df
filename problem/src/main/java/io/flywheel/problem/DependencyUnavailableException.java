package io.flywheel.problem;

/**
 * Something a service depends on (its object store, another service) can't be reached: the request
 * may succeed later, so it is a 503 with Retry-After, never a 500. Services throw subclasses that
 * name the dependency; found anywhere in a failure's causes, it decides the answer.
 */
public class DependencyUnavailableException extends RuntimeException {

    private final String dependency;

    /**
     * @param dependency short name used in the problem type ({@code storage} → {@code storage-unavailable})
     */
    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
