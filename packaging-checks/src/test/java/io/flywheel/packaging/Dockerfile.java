package io.flywheel.packaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instructions of a Dockerfile, as far as the checks need them: continuation lines joined,
 * comments dropped, keywords in upper case. No container engine runs here, so the files are read.
 */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: its keyword (FROM, COPY, ...) and the rest of its line. */
    record Instruction(String keyword, String arguments) {

        /** The arguments split on white space (enough for FROM, COPY, EXPOSE, USER, ARG). */
        List<String> words() {
            return arguments.isBlank() ? List.of() : Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /** What one COPY takes from the build context (flags such as --chown left out) and where it puts it. */
    record Copy(List<String> sources, String destination, Optional<String> from) {
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!pending.isEmpty() && trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String joined = pending.toString().strip();
            pending.setLength(0);
            int space = joined.indexOf(' ');
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            instructions.add(new Instruction(keyword, space < 0 ? "" : joined.substring(space + 1).strip()));
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("the last instruction ends with a line continuation");
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The image of the last stage (the one that runs). */
    String runtimeImage() {
        List<Instruction> froms = all("FROM");
        if (froms.isEmpty()) {
            throw new IllegalArgumentException("no FROM");
        }
        return froms.getLast().words().getFirst();
    }

    /** The ports EXPOSE names, without a protocol suffix. */
    List<Integer> exposedPorts() {
        return all("EXPOSE").stream().flatMap(i -> i.words().stream())
                .map(p -> Integer.parseInt(p.replaceFirst("/(tcp|udp)$", ""))).toList();
    }

    /** The user the container runs as: the last USER, empty when none is set (the base image's then). */
    Optional<String> user() {
        List<Instruction> users = all("USER");
        return users.isEmpty() ? Optional.empty() : Optional.of(users.getLast().arguments());
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> paths = new ArrayList<>();
            Optional<String> from = Optional.empty();
            for (String word : copy.words()) {
                if (word.startsWith("--from=")) {
                    from = Optional.of(word.substring("--from=".length()));
                } else if (!word.startsWith("--")) {
                    paths.add(word);
                }
            }
            if (paths.size() < 2) {
                throw new IllegalArgumentException("COPY needs a source and a destination: " + copy.arguments());
            }
            copies.add(new Copy(List.copyOf(paths.subList(0, paths.size() - 1)), paths.getLast(), from));
        }
        return copies;
    }

    /** The names ENV and ARG set. */
    List<String> variables() {
        List<String> names = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
                for (String word : instruction.words()) {
                    int equals = word.indexOf('=');
                    if (equals > 0 && !word.startsWith("\"") && !word.startsWith("-")) {
                        names.add(word.substring(0, equals));
                    } else if (equals < 0 && instruction.keyword().equals("ARG")) {
                        names.add(word);
                    }
                }
            }
        }
        return names;
    }
}
