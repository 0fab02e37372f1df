package io.flywheel.registry.dataset;

import io.flywheel.registry.ColumnSchema;
import io.flywheel.registry.MalformedDatasetException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads CSV (RFC 4180: comma-separated, fields optionally in double quotes, {@code ""} for a quote
 * inside one, quoted fields may span lines; LF or CRLF line ends) a chunk at a time, in memory
 * bounded by the longest record. The first non-blank line is the header; every later record must
 * have as many fields, or the content is refused naming the line where that record starts. Blank
 * lines are skipped. Column types are inferred from every value (empty means missing).
 */
final class CsvInspector implements DatasetInspector {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final int maxRecordBytes;
    private final int maxColumns;

    private State state = State.FIELD_START;
    private byte[] field = new byte[256];
    private int fieldLength;
    private int fieldIndex;
    private int recordBytes;
    private boolean recordHasContent;
    private boolean afterCarriageReturn;
    private long line = 1;
    private long recordLine = 1;
    private long offset;
    private int bomBytes;

    private List<String> header;
    private ColumnType[] types;
    private boolean[] nullable;
    private final List<byte[]> headerFields = new ArrayList<>();
    private long rows;
    private DatasetProfile profile;

    CsvInspector(int maxRecordBytes, int maxColumns) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxColumns = maxColumns;
    }

    @Override
    public void update(byte[] bytes, int start, int length) {
        for (int i = start; i < start + length; i++) {
            byte b = bytes[i];
            long position = offset++;
            if (position < BOM.length && position == bomBytes && b == BOM[(int) position]) {
                bomBytes++;
                continue; // a UTF-8 byte order mark is not part of the first column's name
            }
            accept(b);
        }
    }

    private void accept(byte b) {
        if (b == '\n' && afterCarriageReturn) {
            afterCarriageReturn = false; // the LF of a CRLF: the line already ended at the CR
            return;
        }
        afterCarriageReturn = b == '\r';
        boolean lineEnd = b == '\n' || b == '\r';
        switch (state) {
            case FIELD_START -> {
                if (b == '"') {
                    state = State.QUOTED;
                    recordHasContent = true;
                } else if (b == ',') {
                    recordHasContent = true;
                    endField();
                } else if (lineEnd) {
                    endRecord();
                } else {
                    append(b);
                    state = State.UNQUOTED;
                }
            }
            case UNQUOTED -> {
                if (b == ',') {
                    endField();
                    state = State.FIELD_START;
                } else if (lineEnd) {
                    endRecord();
                    state = State.FIELD_START;
                } else {
                    append(b);
                }
            }
            case QUOTED -> {
                if (b == '"') {
                    state = State.QUOTE_IN_QUOTED;
                } else {
                    if (lineEnd) {
                        line++;
                    }
                    append(b);
                }
            }
            case QUOTE_IN_QUOTED -> {
                if (b == '"') {
                    append(b);
                    state = State.QUOTED;
                } else if (b == ',') {
                    endField();
                    state = State.FIELD_START;
                } else if (lineEnd) {
                    endRecord();
                    state = State.FIELD_START;
                } else {
                    throw new MalformedDatasetException(line, "unexpected character '" + (char) (b & 0xff)
                            + "' after a closing quote; write a quote inside a quoted field as \"\"");
                }
            }
        }
    }

    private void append(byte b) {
        recordHasContent = true;
        if (++recordBytes > maxRecordBytes) {
            throw new MalformedDatasetException(recordLine, "the record is longer than " + maxRecordBytes + " bytes");
        }
        if (fieldLength == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[fieldLength++] = b;
    }

    private void endField() {
        if (header == null) {
            headerFields.add(Arrays.copyOf(field, fieldLength));
            if (headerFields.size() > maxColumns) {
                throw new MalformedDatasetException(recordLine, "more than " + maxColumns + " columns");
            }
        } else {
            if (fieldIndex < types.length) {
                ColumnType seen = ColumnType.ofText(field, fieldLength);
                if (seen == ColumnType.NONE) {
                    nullable[fieldIndex] = true;
                } else {
                    types[fieldIndex] = types[fieldIndex].widen(seen);
                }
            }
        }
        fieldIndex++;
        fieldLength = 0;
    }

    /** Called at a line end outside quotes (the line counter moves here). */
    private void endRecord() {
        long startedAt = recordLine;
        line++;
        if (!recordHasContent) {
            recordLine = line; // a blank line
            return;
        }
        endField();
        int fields = fieldIndex;
        if (header == null) {
            readHeader(startedAt);
        } else if (fields != header.size()) {
            throw new MalformedDatasetException(startedAt, fields + (fields == 1 ? " field" : " fields")
                    + " where the header has " + header.size() + " (a ragged row)");
        } else {
            rows++;
        }
        fieldIndex = 0;
        recordBytes = 0;
        recordHasContent = false;
        recordLine = line;
    }

    private void readHeader(long headerLine) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (byte[] raw : headerFields) {
            String name;
            try {
                name = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw)).toString().strip();
            } catch (CharacterCodingException e) {
                throw new MalformedDatasetException(headerLine, "the header is not valid UTF-8");
            }
            if (name.isEmpty()) {
                throw new MalformedDatasetException(headerLine, "column " + (names.size() + 1) + " of the header has no name");
            }
            if (!seen.add(name)) {
                throw new MalformedDatasetException(headerLine, "the header names column '" + name + "' twice");
            }
            names.add(name);
        }
        header = List.copyOf(names);
        headerFields.clear();
        types = new ColumnType[header.size()];
        Arrays.fill(types, ColumnType.NONE);
        nullable = new boolean[header.size()];
    }

    @Override
    public void finish() {
        if (state == State.QUOTED) {
            throw new MalformedDatasetException(recordLine, "a quoted field is never closed");
        }
        if (recordHasContent) {
            endRecord(); // the last record had no line end
        }
        if (header == null) {
            throw new MalformedDatasetException(1, "the body is empty; a CSV dataset starts with a header line naming its columns");
        }
        List<ColumnSchema> columns = new ArrayList<>(header.size());
        for (int i = 0; i < header.size(); i++) {
            columns.add(new ColumnSchema(header.get(i), types[i].schemaName(), nullable[i] || types[i] == ColumnType.NONE));
        }
        profile = new DatasetProfile(rows, List.copyOf(columns));
    }

    @Override
    public DatasetProfile profile() {
        if (profile == null) {
            throw new IllegalStateException("the content has not been accepted yet");
        }
        return profile;
    }
}
