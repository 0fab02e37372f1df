package io.flywheel.retrain.runner;

import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The runners this service has, by the name a policy's {@code trainer.runner} uses, and the trainers they know. */
@ApplicationScoped
public class Runners {

    private final InProcessRunner inProcess;
    private final Map<String, TrainerRunner> byName = new LinkedHashMap<>();
    private final Set<String> trainers = new TreeSet<>();

    public Runners(RetrainConfig config) {
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
    }
}
