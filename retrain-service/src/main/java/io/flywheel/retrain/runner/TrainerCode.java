package io.flywheel.retrain.runner;

import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code a trainer is built from (repository and commit), for the candidate's lineage. The
 * reference trainer's comes from {@code retrain.code.*} when set (e.g. by the deployment, from the
 * image), else from the git checkout this service runs in; another trainer's from its own config.
 */
@ApplicationScoped
public class TrainerCode {

    /** A commit of a repository. */
    public record Ref(String repository, String commit) {
    }

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{4,64}");

    private final RetrainConfig config;
    private final Optional<Ref> reference;

    public TrainerCode(RetrainConfig config) {
        this.config = config;
        Optional<Ref> configured = config.code().commit().filter(c -> COMMIT.matcher(c).matches())
                .map(c -> new Ref(config.code().repository().orElse("flywheel"), c));
        this.reference = configured.isPresent() ? configured : fromGit(Path.of(System.getProperty("user.dir")));
        reference.ifPresentOrElse(r -> Log.infof("reference trainer code: %s @ %s", r.repository(), r.commit()),
                () -> Log.info("reference trainer code unknown (set retrain.code.commit); candidates' lineage will not name it"));
    }

    /** The code of a trainer, when known. */
    public Optional<Ref> of(String trainer) {
        if (RetrainPolicy.LINEAR_TRAINER.equals(trainer)) {
            return reference;
        }
        RetrainConfig.TrainerCommand command = config.trainers().get(trainer);
        if (command == null) {
            return Optional.empty();
        }
        return command.codeCommit().filter(c -> COMMIT.matcher(c).matches())
                .map(c -> new Ref(command.codeRepository().orElse(trainer), c));
    }

    /** HEAD of the git checkout at or above {@code start}: the remote origin's URL, else the checkout's path. */
    static Optional<Ref> fromGit(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) {
                try {
                    String commit = head(git);
                    if (commit == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new Ref(origin(git).orElse(dir.toUri().toString()), commit));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String head(Path git) throws IOException {
        String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).strip();
        if (!head.startsWith("ref: ")) {
            return COMMIT.matcher(head).matches() ? head : null;
        }
        String ref = head.substring(5).strip();
        Path loose = git.resolve(ref);
        if (Files.exists(loose)) {
            return Files.readString(loose, StandardCharsets.UTF_8).strip();
        }
        Path packed = git.resolve("packed-refs");
        if (Files.exists(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                if (line.endsWith(" " + ref)) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        }
        return null;
    }

    private static Optional<String> origin(Path git) throws IOException {
        Path configFile = git.resolve("config");
        if (!Files.exists(configFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(configFile, StandardCharsets.UTF_8);
        boolean inOrigin = false;
        Matcher url = Pattern.compile("\\s*url\\s*=\\s*(\\S+)\\s*").matcher("");
        for (String line : lines) {
            if (line.strip().startsWith("[")) {
                inOrigin = line.strip().equals("[remote \"origin\"]");
            } else if (inOrigin && url.reset(line).matches()) {
                return Optional.of(url.group(1));
            }
        }
        return Optional.empty();
    }
}
