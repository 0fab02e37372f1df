package io.flywheel.deploy.rest;

/** Who is calling: the gateway puts the authenticated principal in X-Flywheel-Principal (CONTRACTS.md). */
final class Caller {

    static final String HEADER = "X-Flywheel-Principal";
    static final String ANONYMOUS = "anonymous";

    private Caller() {
    }

    static String name(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String name = header.strip();
        return name.length() > 256 ? name.substring(0, 256) : name;
    }
}
