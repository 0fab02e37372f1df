package io.flywheel.retrain.rest;

import io.flywheel.retrain.Trigger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Every trigger with its decision and reason, newest first; {@code model} filters. */
@Path("/api/v1/retrain/triggers")
@Produces(MediaType.APPLICATION_JSON)
public class TriggerResource {

    @GET
    @WithSession
    public Uni<Page<TriggerView>> listTriggers(@QueryParam("model") String model,
                                 @QueryParam("limit") @DefaultValue("50")
                                 @Min(value = 1, message = "limit must be between 1 and 500")
                                 @Max(value = 500, message = "limit must be between 1 and 500") int limit,
                                 @QueryParam("cursor") String cursor) {
        long before = decodeCursor(cursor);
        String where = model == null ? "t.seq < :before" : "t.seq < :before and t.model = :model";
        return Panache.getSession().chain(session -> {
            var query = session.createQuery("from Trigger t where " + where + " order by t.seq desc", Trigger.class)
                    .setParameter("before", before)
                    .setMaxResults(limit + 1);
            if (model != null) {
                query.setParameter("model", model);
            }
            return query.getResultList();
        }).map(rows -> {
            boolean more = rows.size() > limit;
            List<Trigger> shown = more ? rows.subList(0, limit) : rows;
            String next = more ? Long.toString(shown.getLast().seq, 36) : null;
            return new Page<>(shown.stream().map(TriggerView::of).toList(), next);
        });
    }

    private static long decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(cursor, 36);
        } catch (NumberFormatException e) {
            throw Cursors.invalid();
        }
    }
}
