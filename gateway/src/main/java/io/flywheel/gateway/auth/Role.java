package io.flywheel.gateway.auth;

import java.util.Locale;

/** What a caller may do; a key or token carries one or more. */
public enum Role {
    /** read everything, call inference */
    VIEWER,
    /** viewer, plus every change: models, versions, aliases, promotions, retraining */
    EDITOR,
    /** editor, plus API keys */
    ADMIN,
    /** post predictions and feedback; nothing else */
    INGEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "'; roles are viewer, editor, admin, ingest");
    }
}
