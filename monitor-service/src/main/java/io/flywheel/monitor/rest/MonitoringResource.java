package io.flywheel.monitor.rest;

import io.flywheel.monitor.ingest.PredictionTally;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Path("/api/v1/monitoring")
@Produces(MediaType.APPLICATION_JSON)
public class MonitoringResource {

    /** What the monitor has seen of a model so far: predictions per version (drift and quality come with their issue). */
    public record ModelStatus(String model, long predictions, Map<Integer, Long> predictionsByVersion) {
    }

    private final String consumerGroup;

    public MonitoringResource(@ConfigProperty(name = "mp.messaging.incoming.predictions.group.id") String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    @GET
    @Path("{model}/status")
    @WithSession
    public Uni<ModelStatus> status(@PathParam("model") String model) {
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "from PredictionTally t where t.id.consumerGroupId = :group", PredictionTally.class)
                        .setParameter("group", consumerGroup)
                        .getResultList())
                .map(tallies -> summarise(model, tallies));
    }

    private static ModelStatus summarise(String model, List<PredictionTally> tallies) {
        Map<Integer, Long> byVersion = new TreeMap<>();
        String prefix = model + "@";
        for (PredictionTally tally : tallies) {
            tally.counts.forEach((key, count) -> {
                if (key.startsWith(prefix)) {
                    byVersion.merge(Integer.parseInt(key.substring(prefix.length())), count, Long::sum);
                }
            });
        }
        long total = byVersion.values().stream().mapToLong(Long::longValue).sum();
        return new ModelStatus(model, total, byVersion);
    }
}
