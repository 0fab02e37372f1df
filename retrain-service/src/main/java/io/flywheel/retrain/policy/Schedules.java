package io.flywheel.retrain.policy;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Cron expressions of retrain policies, in the Quartz syntax the Quarkus scheduler reads (seconds first), in UTC. */
public final class Schedules {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private Schedules() {
    }

    /** IllegalArgumentException saying what is wrong with the expression. */
    public static void validate(String expression) {
        parse(expression);
    }

    /** The first fire time strictly after {@code after}, or empty when the expression never fires again. */
    public static Optional<Instant> next(String expression, Instant after) {
        Cron cron = parse(expression);
        return ExecutionTime.forCron(cron).nextExecution(after.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC))
                .map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static Cron parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron expression is required, e.g. '0 0 3 * * ?' (seconds first: daily at 03:00 UTC)");
        }
        try {
            return PARSER.parse(expression.strip()).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a Quartz cron expression (seconds minutes hours "
                    + "day-of-month month day-of-week, e.g. '0 0 3 * * ?'): " + e.getMessage());
        }
    }
}
