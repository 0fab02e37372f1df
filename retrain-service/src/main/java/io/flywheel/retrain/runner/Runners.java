package io.flywheel.retrain.runner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.storage.S3Config;
import io.flywheel.retrain.storage.S3JobStaging;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The runners this service has, by the name a policy's {@code trainer.runner} uses, and the trainers they know. */
@ApplicationScoped
public class Runners {

    private final InProcessRunner inProcess;
    private KubernetesRunner kubernetes;
    private final Map<String, TrainerRunner> byName = new LinkedHashMap<>();
    private final Set<String> trainers = new TreeSet<>();

    /** @param client the extension's client, only looked up when the kubernetes runner is enabled */
    public Runners(RetrainConfig config, Instance<KubernetesClient> client, ObjectStore store, S3Config s3) {
        RetrainConfig.Runner runner = config.runner();
        this.inProcess = new InProcessRunner(runner.inProcess().threads(), runner.inProcess().queue());
        String classpath = runner.localProcess().classpath().orElseGet(LocalProcessRunner::discoverClasspath);
        if (classpath.isBlank()) {
            Log.warn("the local-process runner could not find linear-model's jars; set retrain.runner.local-process.classpath");
        }
        Map<String, java.util.List<String>> commands = new LinkedHashMap<>();
        config.trainers().forEach((name, trainer) -> commands.put(name, trainer.command()));
        LocalProcessRunner local = new LocalProcessRunner(runner.localProcess().java().orElseGet(LocalProcessRunner::currentJava),
                runner.localProcess().jvmArgs(), classpath, commands, runner.localProcess().killGrace());
        byName.put(inProcess.name(), inProcess);
        byName.put(local.name(), local);
        trainers.add(RetrainPolicy.LINEAR_TRAINER);
        trainers.addAll(commands.keySet());
        RetrainConfig.Runner.Kubernetes k8s = runner.kubernetes();
        if (k8s.enabled()) {
            KubernetesClient kube = client.get();
            TrainingJobSpec spec = new TrainingJobSpec(k8s.namespace().orElseGet(kube::getNamespace), k8s.images(),
                    k8s.serviceAccount().orElse(null), k8s.s3Endpoint().orElse(s3.endpoint()), s3.region(), k8s.s3Secret(),
                    k8s.s3AccessKeyKey(), k8s.s3SecretKeyKey(), k8s.ttlAfterFinished(), k8s.cpu(), k8s.memory());
            kubernetes = new KubernetesRunner(kube, spec, new S3JobStaging(store), k8s.rewatchDelay());
            byName.put(kubernetes.name(), kubernetes);
            trainers.addAll(k8s.images().keySet());
            Log.infof("the kubernetes runner creates training Jobs in namespace %s (trainers %s)", spec.namespace(), k8s.images().keySet());
        }
    }

    /** The runner names a policy may use (kubernetes only when configured). */
    public Set<String> names() {
        return Set.copyOf(byName.keySet());
    }

    /** The runner of that name; IllegalArgumentException when there is none. */
    public TrainerRunner get(String name) {
        TrainerRunner runner = byName.get(name);
        if (runner == null) {
            throw new IllegalArgumentException("no runner named '" + name + "' (known: " + String.join(", ", byName.keySet()) + ")");
        }
        return runner;
    }

    /** The trainer names a policy may use. */
    public Set<String> trainers() {
        return Set.copyOf(trainers);
    }

    @PreDestroy
    void close() {
        inProcess.close();
        if (kubernetes != null) {
            kubernetes.close();
        }
    }
}
