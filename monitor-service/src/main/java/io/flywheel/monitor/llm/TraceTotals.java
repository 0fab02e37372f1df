package io.flywheel.monitor.llm;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A batch's new observations of one trace, summed as TraceStore's {@code TRACE_ADD} adds them to the
 * stored totals: NULL-ignoring sums, the earliest start, the latest end (or start), the models.
 */
final class TraceTotals {

    private final String project;
    private final String traceId;
    private int count;
    private Instant start;
    private Instant end;
    private BigDecimal cost;
    private Long input;
    private Long output;
    private Long total;
    private final Set<String> models = new TreeSet<>();

    TraceTotals(String project, String traceId) {
        this.project = project;
        this.traceId = traceId;
    }

    void add(Instant startTime, Instant endTime, String model, BigDecimal observationCost, TraceStore.Tokens tokens) {
        count++;
        Instant last = endTime != null ? endTime : startTime;
        start = startTime != null && (start == null || startTime.isBefore(start)) ? startTime : start;
        end = last != null && (end == null || last.isAfter(end)) ? last : end;
        cost = observationCost == null ? cost : cost == null ? observationCost : cost.add(observationCost);
        input = plus(input, tokens.input());
        output = plus(output, tokens.output());
        total = plus(total, tokens.total());
        if (model != null) {
            models.add(model);
        }
    }

    private static Long plus(Long sum, Long value) {
        if (value == null || sum == null) {
            return value == null ? sum : value;
        }
        return sum + value;
    }

    Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>();
        row.put("project", project);
        row.put("id", traceId);
        row.put("observation_count", count);
        row.put("observations_start", start == null ? null : start.toString());
        row.put("observations_end", end == null ? null : end.toString());
        row.put("total_cost", cost);
        row.put("input_tokens", input);
        row.put("output_tokens", output);
        row.put("total_tokens", total);
        row.put("models", models.isEmpty() ? null : List.copyOf(models));
        return row;
    }
}
