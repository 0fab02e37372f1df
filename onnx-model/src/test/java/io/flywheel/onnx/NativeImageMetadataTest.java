package io.flywheel.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's JNI library looks Java classes up by name (FindClass) to build results and throw
 * OrtException; a native executable answers only for classes registered for JNI. Its jar ships no
 * native-image metadata, so this module does (META-INF/native-image/io.flywheel/onnx-model/jni-config.json),
 * and this test reads the names out of the JNI library itself, so a version bump that looks up
 * another class fails here. Whether the registrations suffice is only shown by a GraalVM build
 * (README.md, "Native images").
 */
class NativeImageMetadataTest {

    private static final String JNI_LIBRARY = "/ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so";
    private static final String JNI_CONFIG = "/META-INF/native-image/io.flywheel/onnx-model/jni-config.json";
    private static final Pattern CLASS_NAME = Pattern.compile("(ai/onnxruntime|java/lang)/[A-Za-z$]+");

    @Test
    void everyClassTheJniLibraryLooksUpIsRegistered() throws IOException {
        Set<String> lookedUp = classNamesIn(bytes(JNI_LIBRARY));
        assertThat(lookedUp).as("class names in %s", JNI_LIBRARY).contains("ai.onnxruntime.OrtException", "ai.onnxruntime.OnnxTensor");

        JsonNode config = new ObjectMapper().readTree(bytes(JNI_CONFIG));
        Set<String> registered = new TreeSet<>();
        StreamSupport.stream(config.spliterator(), false).forEach(entry -> {
            assertThat(entry.path("allDeclaredConstructors").asBoolean() && entry.path("allDeclaredMethods").asBoolean())
                    .as("%s: constructors and methods for JNI", entry).isTrue();
            registered.add(entry.path("name").asText());
        });
        assertThat(registered).isEqualTo(lookedUp);
    }

    /** The NUL-terminated strings of a binary that are exactly a class name, as JNI spells them. */
    private static Set<String> classNamesIn(byte[] binary) {
        Set<String> names = new TreeSet<>();
        int start = 0;
        for (int i = 0; i < binary.length; i++) {
            if (binary[i] == 0) {
                String candidate = new String(binary, start, i - start, StandardCharsets.ISO_8859_1);
                if (CLASS_NAME.matcher(candidate).matches()) {
                    names.add(candidate.replace('/', '.'));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = NativeImageMetadataTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
