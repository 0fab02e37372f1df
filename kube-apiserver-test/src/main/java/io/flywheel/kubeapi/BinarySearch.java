package io.flywheel.kubeapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the three binaries that kube-api-test runs come from on this machine, and what to tell a
 * user who lacks one. Only file lookups: the server itself is {@link KubeApiServer}'s concern.
 */
final class BinarySearch {

    static final String VERSION = "1.20.2";
    static final String ARCHIVE = "kube-apiserver-v" + VERSION + "-linux-amd64.xz";
    static final String UNPACKED = "kube-apiserver-v" + VERSION;
    static final Path DEBIAN_ETCD = Path.of("/usr/bin/etcd");

    /** What was found; an absent kube-apiserver may still be an .xz archive to unpack. */
    record Found(Optional<Path> apiServer, Optional<Path> etcd, Optional<Path> kubectl) {

        /** One line per missing binary, saying how to get it. Empty when all three are there. */
        List<String> missing(List<Path> searched) {
            List<String> lines = new ArrayList<>();
            if (apiServer.isEmpty()) {
                lines.add("kube-apiserver v" + VERSION + ": no " + UNPACKED + " or " + ARCHIVE + " at " + searched
                        + " (-Dflywheel.kube-apiserver or FLYWHEEL_KUBE_APISERVER name another); build it with"
                        + " deploy/kubernetes/tools/build-kube-apiserver.sh (about 10 minutes, kube-apiserver-test/README.md)");
            }
            if (etcd.isEmpty()) {
                lines.add("etcd: no " + DEBIAN_ETCD + "; install Debian's etcd-server (apt-get install -y etcd-server,"
                        + " or ./flywheel test does it as root)");
            }
            if (kubectl.isEmpty()) {
                lines.add("kubectl: not on PATH; install kubectl 1.27 or later (kustomize v5 built in)");
            }
            return lines;
        }
    }

    private BinarySearch() {
    }

    /**
     * kube-apiserver: the path configured (a binary or the .xz), else an unpacked binary in one of
     * {@code dirs}, else the .xz in one of them.
     */
    static Optional<Path> apiServer(Optional<String> configured, List<Path> dirs) {
        if (configured.isPresent()) {
            return Optional.of(Path.of(configured.get())).filter(Files::isRegularFile);
        }
        return Stream.concat(dirs.stream().map(dir -> dir.resolve(UNPACKED)).filter(Files::isExecutable),
                        dirs.stream().map(dir -> dir.resolve(ARCHIVE)).filter(Files::isRegularFile))
                .findFirst();
    }

    static Optional<Path> onPath(String name, String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        return Stream.of(pathVariable.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static boolean isArchive(Path path) {
        return path.getFileName().toString().endsWith(".xz");
    }
}
