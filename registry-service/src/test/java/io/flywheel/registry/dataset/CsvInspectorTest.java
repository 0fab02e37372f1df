package io.flywheel.registry.dataset;

import io.flywheel.registry.ColumnSchema;
import io.flywheel.registry.MalformedDatasetException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvInspectorTest {

    private static DatasetProfile inspect(String csv) {
        return inspect(csv.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
    }

    /** Feeds the bytes in chunks of {@code chunk}, as they would arrive from the network. */
    private static DatasetProfile inspect(byte[] bytes, int chunk) {
        CsvInspector inspector = new CsvInspector(1 << 20, 1000);
        for (int i = 0; i < bytes.length; i += chunk) {
            inspector.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        inspector.finish();
        return inspector.profile();
    }

    @Test
    void infersColumnTypesFromEveryRow() {
        DatasetProfile profile = inspect("""
                age,income,plan,active,note
                42,1200.5,pro,true,
                37,980,basic,FALSE,hello
                29,1e3,pro,true,x
                """);
        assertThat(profile.rows()).isEqualTo(3);
        assertThat(profile.columns()).containsExactly(
                new ColumnSchema("age", "integer", false),
                new ColumnSchema("income", "number", false),
                new ColumnSchema("plan", "string", false),
                new ColumnSchema("active", "boolean", false),
                new ColumnSchema("note", "string", true));
    }

    @Test
    void aLateStringTurnsANumericColumnIntoStrings() {
        DatasetProfile profile = inspect("id,score\n1,0.5\n2,n/a\n");
        assertThat(profile.columns().get(1)).isEqualTo(new ColumnSchema("score", "string", false));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        String csv = "name,comment\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nand left\"\r\nDoe,plain\r\n";
        DatasetProfile profile = inspect(csv);
        assertThat(profile.rows()).isEqualTo(2);
        assertThat(profile.columns()).extracting(ColumnSchema::name).containsExactly("name", "comment");
    }

    @Test
    void chunkBoundariesDoNotMatter() {
        String csv = "a,b\n1,\"x,\"\"y\"\"\"\r\n2,z\n";
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        assertThat(inspect(bytes, 1)).isEqualTo(inspect(bytes, bytes.length));
    }

    @Test
    void blankLinesAreSkippedAndTheLastLineNeedsNoLineEnd() {
        DatasetProfile profile = inspect("a,b\n\n1,2\n\n3,4");
        assertThat(profile.rows()).isEqualTo(2);
        assertThat(profile.columns().getFirst().type()).isEqualTo("integer");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstName() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "age\n1\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(body, 0, bytes, bom.length, body.length);
        assertThat(inspect(bytes, 2).columns().getFirst().name()).isEqualTo("age");
    }

    @Test
    void aHeaderAloneIsADatasetWithNoRows() {
        DatasetProfile profile = inspect("a,b\n");
        assertThat(profile.rows()).isZero();
        assertThat(profile.columns()).extracting(ColumnSchema::type).containsExactly("string", "string");
    }

    @Test
    void aRaggedRowIsRefusedNamingItsLine() {
        assertThatThrownBy(() -> inspect("a,b,c\n1,2,3\n4,5\n6,7,8\n"))
                .isInstanceOf(MalformedDatasetException.class)
                .hasMessage("line 3: 2 fields where the header has 3 (a ragged row)")
                .extracting(e -> ((MalformedDatasetException) e).line()).isEqualTo(3L);
    }

    @Test
    void theLineOfARaggedRowCountsLinesInsideQuotes() {
        assertThatThrownBy(() -> inspect("a,b\n\"multi\nline\",1\n1,2,3\n"))
                .isInstanceOf(MalformedDatasetException.class)
                .hasMessageStartingWith("line 4: 3 fields");
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        assertThatThrownBy(() -> inspect("a,b\n1,\"open\n2,3\n"))
                .isInstanceOf(MalformedDatasetException.class)
                .hasMessage("line 2: a quoted field is never closed");
    }

    @Test
    void textAfterAClosingQuoteIsRefused() {
        assertThatThrownBy(() -> inspect("a,b\n\"x\"y,2\n"))
                .isInstanceOf(MalformedDatasetException.class)
                .hasMessageStartingWith("line 2: unexpected character 'y' after a closing quote");
    }

    @Test
    void anEmptyBodyOrABadHeaderIsRefused() {
        assertThatThrownBy(() -> inspect("")).hasMessageStartingWith("line 1: the body is empty");
        assertThatThrownBy(() -> inspect("a,a\n1,2\n")).hasMessage("line 1: the header names column 'a' twice");
        assertThatThrownBy(() -> inspect("a,,c\n")).hasMessage("line 1: column 2 of the header has no name");
    }

    @Test
    void aRecordLongerThanTheLimitIsRefused() {
        CsvInspector inspector = new CsvInspector(8, 10);
        byte[] bytes = "a\n123456789\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> inspector.update(bytes, 0, bytes.length))
                .hasMessage("line 2: the record is longer than 8 bytes");
    }

    @Test
    void typesOfSingleValues() {
        assertThat(List.of("1", "-7", "+3", "1.5", ".5", "1e-3", "2E+8", "true", "False", "1.", "e5", "1e", "-", "abc", "0x1F"))
                .map(text -> ColumnType.ofText(text.getBytes(StandardCharsets.UTF_8), text.length()).schemaName())
                .containsExactly("integer", "integer", "integer", "number", "number", "number", "number", "boolean",
                        "boolean", "number", "string", "string", "string", "string", "string");
    }
}
