package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PredictionLogged;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.reference.Catalog;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.Outcome;
import io.flywheel.monitor.window.WindowSpec;
import io.flywheel.readiness.UntilAvailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.commit.CheckpointMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Optional;

/**
 * Folds predictions from {@code flywheel.inference} into the drift window of their model version
 * (feature values and the output into reference bins, by event time) and counts them, in a
 * per-partition state saved with its offset (checkpoint strategy): after a crash the state and
 * the offset come back together, so nothing is lost or counted twice. Each prediction also waits
 * in the join table for its label. Records that can't be read, of an unknown model, or with a
 * feature of the wrong type are nacked: the dead-letter topic gets them with the reason.
 */
@ApplicationScoped
public class PredictionConsumer {

    private static final String CHANNEL = "predictions";

    private final PredictionReader reader;
    private final Catalog catalog;
    private final JoinStore joins;
    private final LiveWindows live;
    private final MonitorConfig config;
    private final Counter accepted;
    private final Counter rejected;

    public PredictionConsumer(ObjectMapper json, Catalog catalog, JoinStore joins, LiveWindows live,
                              MonitorConfig config, MeterRegistry meters) {
        this.reader = new PredictionReader(json);
        this.catalog = catalog;
        this.joins = joins;
        this.live = live;
        this.config = config;
        this.accepted = meters.counter("flywheel.monitor.predictions", "outcome", "accepted");
        this.rejected = meters.counter("flywheel.monitor.predictions", "outcome", "dead-lettered");
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<String> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType).orElse(null);
        PredictionLogged prediction;
        try {
            prediction = reader.read(type, message.getPayload());
        } catch (MalformedEventException e) {
            return reject(message, e.getMessage());
        }
        // the steps that need PostgreSQL wait for it instead of failing (readiness/UntilAvailable says why)
        Uni<Boolean> known = config.rejectUnknownModels()
                ? UntilAvailable.retry(CHANNEL, () -> catalog.isKnownFresh(prediction.model()))
                : Uni.createFrom().item(true);
        return known.chain(isKnown -> {
            if (!isKnown) {
                return reject(message, "unknown model '" + prediction.model()
                        + "': the monitor has no reference or policy for it");
            }
            CompiledProfile profile = catalog.profile(prediction.model(), prediction.version()).orElse(null);
            int[] bins;
            try {
                bins = profile == null ? null : profile.binsOf(prediction.inputs(), Outcome.scalar(prediction.output()));
            } catch (IllegalArgumentException e) {
                return reject(message, "invalid prediction: " + e.getMessage());
            }
            if (!catalog.policy(prediction.model()).joinLabelsOrDefault()) {
                return fold(message, prediction, profile, bins, Optional.empty());
            }
            return UntilAvailable.retry(CHANNEL, () -> joins.prediction(prediction))
                    .chain(joined -> fold(message, prediction, profile, bins, joined));
        });
    }

    private Uni<Void> fold(Message<String> message, PredictionLogged p, CompiledProfile profile, int[] bins,
                           Optional<JoinStore.Joined> joined) {
        String key = StreamState.key(p.model(), p.version());
        WindowSpec spec = catalog.policy(p.model()).window();
        long time = p.time().toEpochMilli();
        CheckpointMetadata<StreamCheckpoint> checkpoint = CheckpointMetadata.fromMessage(message);
        checkpoint.transform(() -> StreamCheckpoint.of(StreamState.EMPTY), current -> {
            StreamState s = current.state().counted(key);
            if (bins != null) {
                s = s.folded(key, spec, profile.width(), time, bins);
            }
            if (joined.isPresent()) {
                s = Quality.fold(s, key, spec, joined.get());
            }
            live.publish(checkpoint.getTopicPartition().topic(), checkpoint.getTopicPartition().partition(), s);
            return StreamCheckpoint.of(s);
        });
        accepted.increment();
        return Uni.createFrom().completionStage(message.ack());
    }

    private Uni<Void> reject(Message<String> message, String reason) {
        rejected.increment();
        Log.warnf("prediction dead-lettered: %s", reason);
        return DeadLetter.send(message, reason);
    }
}
