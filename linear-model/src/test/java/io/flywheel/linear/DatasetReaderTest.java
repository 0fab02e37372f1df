package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir
    Path dir;

    @Test
    void csvCellsGetTheirColumnsTypes() {
        Dataset data = DatasetReader.parseCsv("""
                n,x,flag,plan,note
                1,1.5,true,basic,"hello, world"
                2,2,FALSE,pro,"say ""hi\"""
                """, "inline");

        assertThat(data.types()).containsExactly(Map.entry("n", FeatureType.INTEGER), Map.entry("x", FeatureType.NUMBER),
                Map.entry("flag", FeatureType.BOOLEAN), Map.entry("plan", FeatureType.STRING),
                Map.entry("note", FeatureType.STRING));
        assertThat(data.rows().get(1)).containsExactly(Map.entry("n", 2L), Map.entry("x", 2.0),
                Map.entry("flag", false), Map.entry("plan", "pro"), Map.entry("note", "say \"hi\""));
        assertThat(data.rows().get(0).get("note")).isEqualTo("hello, world");
        assertThat(data.source()).isEqualTo("inline");
    }

    @Test
    void aCsvColumnThatStartsWithAStringIsAStringColumn() {
        Dataset data = DatasetReader.parseCsv("code\nA1\n12\n", "inline");

        assertThat(data.type("code")).isEqualTo(FeatureType.STRING);
        assertThat(data.rows().get(1).get("code")).isEqualTo("12");
    }

    @Test
    void csvErrorsNameTheFirstBadLine() {
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,b\n1,2\nabc,3\n", "x"))
                .hasMessage("line 3: column 'a' has a string (\"abc\"), but the column holds numbers (from line 2)");
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,b\n1,2\n3\n", "x"))
                .hasMessage("line 3: 1 fields, the header has 2");
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,b\n\"1,2\n", "x"))
                .hasMessage("line 2: a quoted field is not closed");
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,a\n1,2\n", "x"))
                .hasMessage("line 1: column 'a' appears twice");
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,b\ntrue,1\n2,1\n", "x"))
                .hasMessage("line 3: column 'a' has a number (2), but the column holds booleans (from line 2)");
        assertThatThrownBy(() -> DatasetReader.parseCsv("a,b\n", "x")).hasMessage("the dataset has a header but no rows");
    }

    @Test
    void csvLineNumbersCountQuotedLineBreaksBlankLinesAndCrLf() {
        String text = "\uFEFFnote,n\r\n\"two\r\nlines\",1\r\n\r\nplain,2\r\nbad,x\r\n";

        assertThatThrownBy(() -> DatasetReader.parseCsv(text, "x"))
                .hasMessage("line 6: column 'n' has a string (\"x\"), but the column holds numbers (from line 2)");
        Dataset good = DatasetReader.parseCsv(text.replace("bad,x", "ok,3"), "x");
        assertThat(good.columns()).containsExactly("note", "n");
        assertThat(good.rows().get(0).get("note")).isEqualTo("two\r\nlines");
        assertThat(good.locate(2)).isEqualTo("line 6");
    }

    @Test
    void emptyCellsAreMissingAndTheTrainerNamesThem() {
        Dataset data = DatasetReader.parseCsv("x,y\n1,2\n,3\n4,5\n", "x");

        assertThat(data.rows().get(1).get("x")).isNull();
        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.REGRESSION, "y"), null, null))
                .hasMessage("line 3: column 'x' is empty");
    }

    @Test
    void jsonLinesTypesAndErrors() {
        Dataset data = DatasetReader.parseJsonLines("""
                {"a": 1, "b": true, "c": "s"}

                {"a": 2.5, "b": false, "c": null}
                """, "x");

        assertThat(data.types()).containsExactly(Map.entry("a", FeatureType.NUMBER), Map.entry("b", FeatureType.BOOLEAN),
                Map.entry("c", FeatureType.STRING));
        assertThat(data.rows().get(0).get("a")).isEqualTo(1.0);
        assertThat(data.rows().get(1).get("c")).isNull();
        assertThat(data.locate(1)).isEqualTo("line 3");

        assertThatThrownBy(() -> DatasetReader.parseJsonLines("{\"a\": 1}\n{\"a\": \"1\"}\n", "x"))
                .hasMessage("line 2: column 'a' has a string (\"1\"), but the column holds numbers (from line 1)");
        assertThatThrownBy(() -> DatasetReader.parseJsonLines("{\"a\": 1}\n{\"a\": [1]}\n", "x"))
                .hasMessage("line 2: column 'a' is an array; rows must be flat objects");
        assertThatThrownBy(() -> DatasetReader.parseJsonLines("{\"a\": 1}\n{\"a\": 1\n", "x"))
                .hasMessageStartingWith("line 2: not valid JSON: ");
        assertThatThrownBy(() -> DatasetReader.parseJsonLines("{\"a\": 1}\n[1]\n", "x"))
                .hasMessage("line 2: expected a JSON object, one row per line");
    }

    @Test
    void readsLocalPathsAndFileUrisAndRefusesOtherSchemes() throws IOException {
        Path csv = Files.writeString(dir.resolve("data.txt"), "a,b\n1,2\n");
        Path jsonl = Files.writeString(dir.resolve("rows"), "{\"a\": 1}\n");

        assertThat(DatasetReader.read(csv.toString()).type("a")).isEqualTo(FeatureType.INTEGER);
        assertThat(DatasetReader.read(jsonl.toUri().toString()).columns()).containsExactly("a");
        assertThatThrownBy(() -> DatasetReader.read("s3://bucket/data.csv")).hasMessage("dataset s3://bucket/data.csv: "
                + "scheme 's3' is not supported; give a local path or a file:// URI (the runner stages remote data)");
        assertThatThrownBy(() -> DatasetReader.read(dir.resolve("nope.csv").toString()))
                .hasMessage("dataset " + dir.resolve("nope.csv") + " not found");
    }

    @Test
    void inMemoryRowsAreTypedLikeFileRows() {
        Map<String, Object> second = new HashMap<>(Map.of("a", 2.5, "b", "y"));
        second.put("c", null);
        Dataset data = Dataset.of(List.of(Map.of("a", 1, "b", "x", "c", true), second));

        assertThat(data.type("a")).isEqualTo(FeatureType.NUMBER);
        assertThat(data.rows().get(0).get("a")).isEqualTo(1.0);
        assertThat(data.type("c")).isEqualTo(FeatureType.BOOLEAN);
        assertThatThrownBy(() -> Dataset.of(List.of(Map.of("a", 1), Map.of("a", "x"))))
                .hasMessage("row 2: column 'a' has a string (\"x\"), but the column holds numbers (from row 1)");
    }
}
