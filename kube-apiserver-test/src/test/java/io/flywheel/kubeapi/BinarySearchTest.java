package io.flywheel.kubeapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BinarySearchTest {

    @TempDir
    Path shared;
    @TempDir
    Path lib;

    @Test
    void anUnpackedBinaryAnywhereWinsOverAnArchive() throws IOException {
        Files.writeString(shared.resolve(BinarySearch.ARCHIVE), "xz");
        Path binary = executable(lib.resolve(BinarySearch.UNPACKED));

        assertThat(BinarySearch.apiServer(Optional.empty(), List.of(shared, lib))).contains(binary);
    }

    @Test
    void theArchiveIsFoundWhenNothingIsUnpacked() throws IOException {
        Path archive = Files.writeString(lib.resolve(BinarySearch.ARCHIVE), "xz");

        assertThat(BinarySearch.apiServer(Optional.empty(), List.of(shared, lib))).contains(archive);
        assertThat(BinarySearch.isArchive(archive)).isTrue();
    }

    @Test
    void aConfiguredPathIsTheOnlyOneLookedAt() throws IOException {
        executable(lib.resolve(BinarySearch.UNPACKED));
        Path configured = executable(shared.resolve("my-kube-apiserver"));

        assertThat(BinarySearch.apiServer(Optional.of(configured.toString()), List.of(lib))).contains(configured);
        assertThat(BinarySearch.apiServer(Optional.of(shared.resolve("absent").toString()), List.of(lib))).isEmpty();
    }

    @Test
    void kubectlIsTheFirstExecutableOnThePath() throws IOException {
        Path kubectl = executable(lib.resolve("kubectl"));
        Files.writeString(shared.resolve("kubectl"), "not executable");

        assertThat(BinarySearch.onPath("kubectl", shared + "::" + lib)).contains(kubectl);
        assertThat(BinarySearch.onPath("kubectl", null)).isEmpty();
    }

    @Test
    void eachMissingBinaryIsNamedWithHowToGetIt() {
        var found = new BinarySearch.Found(Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(found.missing(List.of(shared)))
                .satisfiesExactly(
                        line -> assertThat(line).contains(BinarySearch.ARCHIVE, shared.toString(), "build-kube-apiserver.sh"),
                        line -> assertThat(line).contains("etcd-server"),
                        line -> assertThat(line).contains("kubectl", "PATH"));
        assertThat(new BinarySearch.Found(Optional.of(shared), Optional.of(shared), Optional.of(shared)).missing(List.of()))
                .isEmpty();
    }

    @Test
    void theRepositoryIsWhereTheLauncherAndTheWrapperAre() throws IOException {
        Files.writeString(shared.resolve("flywheel"), "");
        Files.writeString(shared.resolve("mvnw"), "");
        Path module = Files.createDirectories(shared.resolve("kube-apiserver-test/target"));

        assertThat(KubeApiServer.repositoryRoot(module)).contains(shared);
        assertThat(KubeApiServer.repositoryRoot(lib)).isEmpty();
    }

    private static Path executable(Path path) throws IOException {
        Files.writeString(path, "#!/bin/sh\n");
        path.toFile().setExecutable(true);
        return path;
    }
}
