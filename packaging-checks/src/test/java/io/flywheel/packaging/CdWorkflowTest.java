package io.flywheel.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CD workflow for forks (.github/workflows/cd.yml), which no CI here runs: it parses, its test job
 * runs what CI runs (.ci/run), and it builds, pushes and deploys the images the Dockerfiles and the
 * manifests know, one per service.
 */
class CdWorkflowTest {

    private static final Pattern SERVICE_LOOP = Pattern.compile("for service in ([^;]+);");
    private static final Pattern BUILD_ARG = Pattern.compile("--build-arg (\\w+)=");

    private static JsonNode jobs;

    @BeforeAll
    static void parse() throws IOException {
        JsonNode workflow = new ObjectMapper(new YAMLFactory()).readTree(Services.root().resolve(".github/workflows/cd.yml").toFile());
        jobs = workflow.path("jobs");
        assertThat(workflow.path("on").isMissingNode()).as("cd.yml has triggers").isFalse();
    }

    @Test
    void testsAsCiDoes() {
        String ci = Services.read(Services.root().resolve(".ci/run"));
        List<String> execs = ci.lines().filter(l -> l.startsWith("exec ")).toList();
        assertThat(execs).as(".ci/run ends in one exec").hasSize(1);
        String ciCommand = execs.getFirst().substring("exec ".length()).strip();
        assertThat(ciCommand).isEqualTo("./flywheel test");

        assertThat(runs("test")).as("the test job runs .ci/run itself (or exactly what it execs)")
                .containsAnyOf("bash .ci/run", ciCommand);
        assertThat(jobs.path("test").path("timeout-minutes").asInt()).as("at least CI's 90 minutes").isGreaterThanOrEqualTo(90);
        assertThat(jobs.path("images").path("needs").asText()).isEqualTo("test");
        assertThat(jobs.path("deploy").path("needs").asText()).isEqualTo("images");
    }

    @Test
    void buildsAndPushesEveryServicesJvmImage() {
        JsonNode matrix = jobs.path("images").path("strategy").path("matrix").path("service");
        assertThat(StreamSupport.stream(matrix.spliterator(), false).map(JsonNode::asText).toList())
                .containsExactlyInAnyOrderElementsOf(Services.names());
        String script = String.join("\n", runs("images"));
        assertThat(script).contains("./mvnw -B -ntp package -DskipTests -pl ${{ matrix.service }} -am")
                .contains("docker build -f ${{ matrix.service }}/src/main/docker/Dockerfile.jvm")
                .contains("-t \"$image\" ${{ matrix.service }}")
                .contains("image=\"${REGISTRY,,}/" + Services.image("${{ matrix.service }}") + ":$TAG\"")
                .contains("docker push \"$image\"");

        Set<String> declared = new HashSet<>();
        for (String service : Services.names()) {
            Dockerfile jvm = Dockerfile.parse(Services.read(Services.root().resolve(service).resolve("src/main/docker/Dockerfile.jvm")));
            jvm.all("ARG").forEach(arg -> declared.add(arg.words().getFirst().split("=")[0]));
        }
        assertThat(BUILD_ARG.matcher(script).results().map(m -> m.group(1)).toList())
                .as("every --build-arg is an ARG of a Dockerfile.jvm").isNotEmpty().allMatch(declared::contains);
    }

    @Test
    void deploysTheDevOverlayWithThisCommitsImages() {
        String script = String.join("\n", runs("deploy"));
        Matcher loop = SERVICE_LOOP.matcher(script);
        List<List<String>> loops = new ArrayList<>();
        while (loop.find()) {
            loops.add(Arrays.asList(loop.group(1).strip().split("\\s+")));
        }
        assertThat(loops).as("the service loops of the deploy job").isNotEmpty()
                .allSatisfy(names -> assertThat(names).containsExactlyInAnyOrderElementsOf(Services.names()));
        assertThat(script).contains("kustomize edit set image \"" + Services.image("$service") + "=${REGISTRY,,}/"
                        + Services.image("$service") + ":$TAG\"")
                .contains("kubectl apply -k deploy/kubernetes/overlays/dev");
        assertThat(StreamSupport.stream(jobs.path("deploy").path("steps").spliterator(), false)
                .map(s -> s.path("working-directory").asText()).filter(d -> !d.isEmpty()))
                .containsExactly("deploy/kubernetes/overlays/dev");
    }

    @Test
    void theDevOverlayExists() {
        Path kubernetes = Services.root().resolve("deploy/kubernetes");
        Assumptions.assumeTrue(Files.isDirectory(kubernetes),
                "deploy/kubernetes is not in this checkout: the dev overlay the workflow applies is unchecked (hook for issue 17 point 1)");
        assertThat(kubernetes.resolve("overlays/dev/kustomization.yaml")).exists();
    }

    private static List<String> runs(String job) {
        JsonNode steps = jobs.path(job).path("steps");
        assertThat(steps.isArray()).as("job %s has steps", job).isTrue();
        return StreamSupport.stream(steps.spliterator(), false).map(s -> s.path("run").asText()).filter(r -> !r.isEmpty()).toList();
    }
}
