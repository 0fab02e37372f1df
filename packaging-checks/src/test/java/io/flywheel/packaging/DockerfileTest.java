package io.flywheel.packaging;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerfileTest {

    private static final String TWO_STAGES = """
            # a comment
            FROM maven:3 AS build
            COPY pom.xml /src/
            from registry.example/base:1.2
            RUN chown 1001 /work \\
                # a comment inside a continuation
                && chmod g+rwX /work
            COPY --chown=1001:root --chmod=0755 target/a target/b* /work/
            COPY --from=build /src/target/app /app
            EXPOSE 8081 9000/tcp
            USER root
            ENV A=1 LANGUAGE='en_US:en'
            ARG COMMIT
            ARG REPOSITORY=flywheel
            USER 1001:0
            """;

    @Test
    void readsTheRunningStage() {
        Dockerfile file = Dockerfile.parse(TWO_STAGES);

        assertThat(file.runtimeImage()).isEqualTo("registry.example/base:1.2");
        assertThat(file.exposedPorts()).containsExactly(8081, 9000);
        assertThat(file.user()).contains("1001:0");
        assertThat(file.variables()).containsExactly("A", "LANGUAGE", "COMMIT", "REPOSITORY");
    }

    @Test
    void joinsContinuationsAndDropsComments() {
        Dockerfile file = Dockerfile.parse(TWO_STAGES);

        assertThat(file.all("RUN")).singleElement()
                .extracting(Dockerfile.Instruction::arguments).isEqualTo("chown 1001 /work  && chmod g+rwX /work");
        assertThat(file.instructions()).extracting(Dockerfile.Instruction::keyword)
                .containsExactly("FROM", "COPY", "FROM", "RUN", "COPY", "COPY", "EXPOSE", "USER", "ENV", "ARG", "ARG", "USER");
    }

    @Test
    void copiesLeaveOutFlagsAndKnowTheirStage() {
        List<Dockerfile.Copy> copies = Dockerfile.parse(TWO_STAGES).copies();

        assertThat(copies).containsExactly(
                new Dockerfile.Copy(List.of("pom.xml"), "/src/", Optional.empty()),
                new Dockerfile.Copy(List.of("target/a", "target/b*"), "/work/", Optional.empty()),
                new Dockerfile.Copy(List.of("/src/target/app"), "/app", Optional.of("build")));
    }

    @Test
    void noUserMeansTheBaseImagesUser() {
        assertThat(Dockerfile.parse("FROM scratch\n").user()).isEmpty();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> Dockerfile.parse("FROM a\nCOPY onlyone\n").copies()).hasMessageContaining("COPY needs");
        assertThatThrownBy(() -> Dockerfile.parse("FROM a\nRUN x \\\n")).hasMessageContaining("continuation");
        assertThatThrownBy(() -> Dockerfile.parse("# nothing\n").runtimeImage()).hasMessageContaining("no FROM");
    }
}
