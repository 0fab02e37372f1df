package io.flywheel.linear;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped reference data: see src/test/python/make_reference.py, which wrote it. */
final class TestData {

    static final String CLASSIFICATION_CSV = "reference/classification.csv";
    static final String REGRESSION_JSONL = "reference/regression.jsonl";

    private TestData() {
    }

    static Path resource(String name) {
        try {
            return Path.of(TestData.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** reference.json, produced by make_reference.py with numpy and scipy (see its "generated_by"). */
    static JsonNode reference() {
        try {
            return Json.MAPPER.readTree(Files.readString(resource("reference/reference.json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Dataset dataset(String name) {
        try {
            return DatasetReader.read(resource(name).toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.textValue()));
        return out;
    }
}
