package io.flywheel.monitor.llm.query;

import java.util.ArrayList;
import java.util.List;

/** A statement and its parameters ($1, $2... in order), built a condition at a time. */
public final class SqlQuery {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Adds the parameter and returns its placeholder. */
    public String param(Object value) {
        params.add(value);
        return "$" + params.size();
    }

    /** A condition; {@code ?} in it stands for {@code value}'s placeholder. Skipped when the value is null. */
    public SqlQuery and(String condition, Object value) {
        if (value != null) {
            conditions.add(condition.replace("?", param(value)));
        }
        return this;
    }

    public SqlQuery and(String condition) {
        conditions.add(condition);
        return this;
    }

    public String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public List<Object> params() {
        return params;
    }
}
