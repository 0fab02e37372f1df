package io.flywheel.monitor.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DeploymentChanged;
import io.flywheel.readiness.UntilAvailable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A version becoming live (an event of {@code flywheel.deploy}) starts its monitoring: its
 * reference is fitted from its training dataset in the registry unless it has one. A fit that
 * fails is logged and tried again on the next deployment event or on request; it never blocks the
 * topic. Unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class DeploymentConsumer {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final ReferenceService references;

    public DeploymentConsumer(ObjectMapper json, Catalog catalog, ReferenceService references) {
        this.json = json;
        this.catalog = catalog;
        this.references = references;
    }

    @Incoming("deployments")
    public Uni<Void> consume(Message<String> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType).orElse(null);
        if (!DeploymentChanged.TYPE.equals(type)) {
            return Uni.createFrom().completionStage(message.ack()); // other deploy events are not ours
        }
        DeploymentChanged changed;
        try {
            changed = json.readValue(message.getPayload(), DeploymentChanged.class);
        } catch (Exception e) {
            return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(
                    "payload of " + type + " does not parse: " + e.getMessage().lines().findFirst().orElse(""))));
        }
        if (changed.model() == null || changed.live() == null) {
            return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException("model or live is missing")));
        }
        return Multi.createFrom().iterable(changed.live())
                .filter(v -> catalog.profile(changed.model(), v.version()).isEmpty())
                // while the registry or the database is down, wait for it (readiness/UntilAvailable); a version that
                // can't be fitted otherwise (no dataset in its lineage...) is skipped with its reason
                .onItem().transformToUniAndConcatenate(v -> UntilAvailable.retry("deployments",
                                () -> references.fitFromRegistry(changed.model(), v.version()))
                        .onFailure().invoke(e -> Log.warnf("reference of %s v%d not fitted: %s", changed.model(), v.version(),
                                e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().asList()
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
