package io.flywheel.linear;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The trainer as a process:
 * {@code --dataset <uri> --output <dir> --params <json or @file>}. Writes
 * {@code <output>/model.json} and {@code <output>/metrics.json}, prints progress on stdout, and
 * exits 0 on success, 2 on bad arguments, parameters or data (one line on stderr saying what),
 * 1 on any other failure (one line, then the stack trace).
 *
 * <p>{@code trained_at} is the current time, or {@code SOURCE_DATE_EPOCH} (seconds) when that
 * environment variable is set, so that a rerun can reproduce an artifact byte for byte.
 */
public final class TrainerMain {

    static final String USAGE = "usage: java -jar linear-model.jar --dataset <path or file:// URI> "
            + "--output <dir> --params <json or @file>";

    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the trainer and returns the exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Arguments arguments = Arguments.parse(args);
            if (arguments == null) {
                out.println(USAGE);
                return 0;
            }
            TrainingParams params = TrainingParams.fromJson(arguments.params());
            TrainingJob.Outcome outcome = TrainingJob.run(arguments.dataset(), arguments.output(), params,
                    trainedAt(), out::println);
            out.println("done: " + outcome.modelFile());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("error: unexpected failure: " + oneLine(e.toString()));
            e.printStackTrace(err);
            return 1;
        }
    }

    private static Instant trainedAt() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be whole seconds, got '" + epoch + "'");
            }
        }
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The parsed command line; {@code --name value} or {@code --name=value}. */
    record Arguments(String dataset, String output, String params) {

        /** The arguments, or null when help was asked for. */
        static Arguments parse(String[] args) throws IOException {
            String dataset = null;
            String output = null;
            String params = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                String name = arg;
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    value = null;
                }
                switch (name) {
                    case "--dataset" -> dataset = required(name, value);
                    case "--output" -> output = required(name, value);
                    case "--params" -> params = required(name, value);
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
                }
            }
            if (dataset == null || output == null || params == null) {
                String missing = dataset == null ? "--dataset" : output == null ? "--output" : "--params";
                throw new IllegalArgumentException("missing " + missing + "; " + USAGE);
            }
            if (params.startsWith("@")) {
                Path file = Path.of(params.substring(1));
                try {
                    params = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new IllegalArgumentException("params file " + file + " not found");
                }
            }
            return new Arguments(dataset, output, params);
        }

        private static String required(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            return value;
        }
    }
}
