package io.flywheel.retrain.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python example trainer of this repository (trainers/python/train_sklearn.py) and the Python that
 * runs it. Tests that need it are skipped, saying why, only where Debian's python3-sklearn and
 * python3-onnx are not installed.
 */
public final class PythonTrainer {

    public static final String PYTHON = System.getProperty("flywheel.test.python", "/usr/bin/python3");

    private PythonTrainer() {
    }

    public static Path script() {
        return Path.of(System.getProperty("flywheel.test.python-trainer", "../trainers/python/train_sklearn.py")).toAbsolutePath().normalize();
    }

    public static List<String> command() {
        return List.of(PYTHON, script().toString());
    }

    /** Skips the calling test unless the script exists and its Python imports numpy, scikit-learn and onnx. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isRegularFile(script()), "the Python example trainer is not at " + script());
        boolean imports;
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", "import numpy, sklearn, onnx").redirectErrorStream(true).start();
            imports = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            imports = false;
        }
        Assumptions.assumeTrue(imports, PYTHON + " can't import numpy, sklearn and onnx: "
                + "sudo apt-get install -y python3-sklearn python3-onnx to run this test");
    }
}
