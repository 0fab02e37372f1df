package io.flywheel.deploy.predictionlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.events.PredictionLogged;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The prediction log: every prediction the runtime serves goes to flywheel.inference as a
 * {@link PredictionLogged} binary-mode CloudEvent (key: the model), without ever blocking the
 * answer. The request path puts a {@link LoggedPrediction} into a bounded {@link PredictionBuffer}
 * (full: dropped and counted, {@code deploy.prediction.log.dropped}); one sender thread drains it in
 * batches, encodes each prediction and hands it to a Kafka producer, with at most
 * {@code max-in-flight} waiting for the broker's acknowledgement. A prediction Kafka did not take for a
 * reason that may pass (the broker down longer than the delivery timeout, a send blocked on metadata)
 * goes back into the buffer and is sent again ({@code deploy.prediction.log.retried}), so an outage
 * loses nothing as long as the buffer holds; the monitor counts a request id once, so a prediction the
 * broker did take before the error is not counted twice. What a kill -9 takes with it: the buffer and
 * the producer's unsent batches (the predictions of the last drain interval plus linger).
 *
 * <p>Why a plain Kafka producer here, when deploy's control events go through a SmallRye emitter: this
 * is the data plane, one record per answer. Profiling the benchmark showed the emitter's per-message
 * Mutiny pipeline and CloudEvent metadata, plus data-bound JSON, costing about half of the log's CPU;
 * on a two-core machine that is serving throughput. The headers are the ones the SmallRye connector
 * writes and reads in binary mode (ce_specversion, ce_id, ce_source, ce_type, ce_subject, ce_time,
 * content-type), so consumers see no difference.
 */
@ApplicationScoped
public class PredictionLog {

    private static final byte[] SPEC_VERSION = bytes("1.0");
    private static final byte[] TYPE = bytes(PredictionLogged.TYPE);
    private static final byte[] SOURCE = bytes("flywheel/deploy-service");
    private static final byte[] CONTENT_TYPE = bytes("application/json");

    private final DeployConfig.PredictionLog config;
    private final String bootstrap;
    private final PredictionEncoder encoder;
    private final PredictionBuffer<LoggedPrediction> buffer;
    private final Semaphore inFlight;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final String idPrefix = UUID.randomUUID() + "-";
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean running;
    private KafkaProducer<String, byte[]> producer;
    private Thread sender;
    /** the sender thread's caches of header values */
    private final Map<String, byte[]> subjects = new HashMap<>();
    private long timeMillis = Long.MIN_VALUE;
    private byte[] timeBytes;

    public PredictionLog(DeployConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                         ObjectMapper json, MeterRegistry registry) {
        this.config = config.predictionLog();
        this.bootstrap = bootstrap;
        this.encoder = new PredictionEncoder(json.getFactory());
        this.buffer = new PredictionBuffer<>(this.config.bufferSize());
        this.inFlight = new Semaphore(this.config.maxInFlight());
        FunctionCounter.builder("deploy.prediction.log.dropped", buffer, PredictionBuffer::dropped)
                .description("Predictions not logged because the buffer was full").register(registry);
        FunctionCounter.builder("deploy.prediction.log.accepted", buffer, PredictionBuffer::accepted)
                .description("Predictions put into the log's buffer").register(registry);
        FunctionCounter.builder("deploy.prediction.log.sent", sent, LongAdder::sum)
                .description("Predictions acknowledged by Kafka").register(registry);
        FunctionCounter.builder("deploy.prediction.log.failed", failed, LongAdder::sum)
                .description("Predictions Kafka did not take").register(registry);
        FunctionCounter.builder("deploy.prediction.log.retried", retried, LongAdder::sum)
                .description("Predictions put back into the buffer after Kafka did not take them for a passing reason").register(registry);
        FunctionCounter.builder("deploy.prediction.log.invalid", invalid, LongAdder::sum)
                .description("Predictions that broke the PredictionLogged contract and were not sent").register(registry);
        Gauge.builder("deploy.prediction.log.queued", buffer, PredictionBuffer::size)
                .description("Predictions waiting in the buffer").register(registry);
        Gauge.builder("deploy.prediction.log.in_flight", this, log -> log.config.maxInFlight() - log.inFlight.availablePermits())
                .description("Predictions sent and not yet acknowledged").register(registry);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Hands one prediction to the log; never blocks. */
    public void log(LoggedPrediction prediction) {
        if (running) {
            buffer.offer(prediction);
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("prediction log is off (deploy.prediction-log.enabled=false)");
            return;
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "deploy-prediction-log",
                ProducerConfig.ACKS_CONFIG, config.acks(),
                ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis(),
                ProducerConfig.BATCH_SIZE_CONFIG, config.kafkaBatchBytes(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false),
                new StringSerializer(), new ByteArraySerializer());
        running = true;
        sender = Thread.ofPlatform().daemon().name("prediction-log-sender").start(this::drain);
        Log.infof("prediction log: to %s, buffer %d, at most %d in flight", config.topic(), config.bufferSize(), config.maxInFlight());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (sender != null) {
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void drain() {
        List<LoggedPrediction> batch = new ArrayList<>(config.batchSize());
        while (running || buffer.size() > 0) {
            batch.clear();
            try {
                int taken = buffer.take(batch, config.batchSize(), 200, TimeUnit.MILLISECONDS);
                for (LoggedPrediction prediction : batch) {
                    send(prediction);
                }
                if (taken > 0 && taken < config.batchSize()) {
                    // Not a full batch: let predictions gather for a moment instead of waking up for each
                    // one. While this thread sleeps, offering to the buffer wakes nobody, so the request
                    // path pays no wake-up either. Kafka lingers longer than this anyway.
                    Thread.sleep(config.drainInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("prediction log: a batch was not sent: %s", e.getMessage());
                failed.add(batch.size());
            }
        }
    }

    private void send(LoggedPrediction p) throws InterruptedException {
        byte[] payload;
        try {
            payload = encoder.encode(p);
        } catch (IllegalArgumentException e) {
            invalid.increment();
            Log.debugf("prediction %s of %s not logged: %s", p.requestId(), p.model(), e.getMessage());
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", SPEC_VERSION);
        headers.add("ce_id", bytes(idPrefix + ids.incrementAndGet()));
        headers.add("ce_source", SOURCE);
        headers.add("ce_type", TYPE);
        headers.add("ce_subject", subject(p.model()));
        headers.add("ce_time", time(p.epochMillis()));
        headers.add("content-type", CONTENT_TYPE);
        inFlight.acquire();
        try {
            producer.send(new ProducerRecord<>(config.topic(), null, p.model(), payload, headers), (metadata, error) -> {
                inFlight.release();
                if (error == null) {
                    sent.increment();
                } else {
                    notTaken(p, error);
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            notTaken(p, e);
        }
    }

    /** A passing failure puts the prediction back (it is encoded again, with a new CloudEvent id); others count as failed. */
    private void notTaken(LoggedPrediction p, Exception error) {
        if (running && error instanceof RetriableException && buffer.putBack(p)) {
            retried.increment();
            Log.debugf("prediction %s not acknowledged, sent again: %s", p.requestId(), error.getMessage());
            return;
        }
        failed.increment();
        Log.debugf("prediction %s not acknowledged: %s", p.requestId(), error.getMessage());
    }

    /** The model's name as a header value; the sender thread is the only caller, and a header's bytes are only read. */
    private byte[] subject(String model) {
        byte[] subject = subjects.get(model);
        if (subject == null) {
            subject = bytes(model);
            if (subjects.size() < 1024) {
                subjects.put(model, subject);
            }
        }
        return subject;
    }

    /** ce_time, the same instant as the payload's time: formatted once per millisecond (the sender thread only). */
    private byte[] time(long epochMillis) {
        if (epochMillis != timeMillis || timeBytes == null) {
            timeBytes = bytes(encoder.time(epochMillis));
            timeMillis = epochMillis;
        }
        return timeBytes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
