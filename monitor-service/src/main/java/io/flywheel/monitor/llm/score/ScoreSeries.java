package io.flywheel.monitor.llm.score;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A score's time series per prompt version or model: for each group, one point per bucket of
 * {@code interval} from {@code from} (empty buckets included, count 0), with the count of scores, the
 * mean of the numeric and boolean ones (0/1) and the counts of the categorical ones by label.
 */
public final class ScoreSeries {

    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    public static final int MAX_BUCKETS = 1000;

    /** What to read: one score name of one project over [from, to). */
    public record Request(String project, String name, ScoreGroup.By groupBy, Duration interval, Instant from, Instant to) {
        public Request {
            // PostgreSQL keeps microseconds: buckets it computes from a finer `from` would match none of the points
            from = from == null ? null : from.truncatedTo(ChronoUnit.MICROS);
            to = to == null ? null : to.truncatedTo(ChronoUnit.MICROS);
        }
    }

    /** One aggregated row: a group's bucket and, for categorical scores, one label of it. */
    public record Cell(ScoreGroup group, Instant start, String label, long count, long numericCount, double numericSum) {
    }

    public record Point(Instant start, long count, Double mean, Map<String, Long> categories) {
    }

    public record Series(ScoreGroup group, List<Point> points) {
    }

    private ScoreSeries() {
    }

    /** Why a request can't be served (a sentence), or null when it can. */
    public static String problem(Duration interval, Instant from, Instant to) {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            return "interval must be at least PT1M, was " + interval;
        }
        if (!to.isAfter(from)) {
            return "'to' (" + to + ") must be after 'from' (" + from + ")";
        }
        long buckets = buckets(interval, from, to);
        if (buckets > MAX_BUCKETS) {
            return "from, to and interval make " + buckets + " buckets, at most " + MAX_BUCKETS + " are served: widen the interval";
        }
        return null;
    }

    static long buckets(Duration interval, Instant from, Instant to) {
        long span = Duration.between(from, to).toMillis();
        long step = interval.toMillis();
        return (span + step - 1) / step;
    }

    /** The series of the request's groups (ordered by label) from its cells. */
    public static List<Series> assemble(Request r, List<Cell> cells) {
        Map<ScoreGroup, Map<Instant, List<Cell>>> byGroup = new HashMap<>();
        for (Cell c : cells) {
            byGroup.computeIfAbsent(c.group(), g -> new HashMap<>()).computeIfAbsent(c.start(), s -> new ArrayList<>()).add(c);
        }
        long n = buckets(r.interval(), r.from(), r.to());
        List<Series> out = new ArrayList<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ScoreGroup.ORDER))
                .forEach(e -> {
                    List<Point> points = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        Instant start = r.from().plus(r.interval().multipliedBy(i));
                        points.add(point(start, e.getValue().getOrDefault(start, List.of())));
                    }
                    out.add(new Series(e.getKey(), points));
                });
        return out;
    }

    private static Point point(Instant start, List<Cell> cells) {
        long count = 0;
        long numericCount = 0;
        double sum = 0;
        Map<String, Long> categories = new TreeMap<>();
        for (Cell c : cells) {
            count += c.count();
            numericCount += c.numericCount();
            sum += c.numericSum();
            if (c.label() != null) {
                categories.merge(c.label(), c.count(), Long::sum);
            }
        }
        return new Point(start, count, numericCount == 0 ? null : sum / numericCount,
                categories.isEmpty() ? null : new LinkedHashMap<>(categories));
    }
}
