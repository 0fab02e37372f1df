package io.flywheel.registry.storage;

import io.flywheel.registry.DigestMismatchException;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.PayloadTooLargeException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestingInputStreamTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final String ABC_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesAndCountsWhatPassesThrough() throws IOException {
        var stream = new DigestingInputStream(new ByteArrayInputStream(ABC), null, 100, ContentInspector.NONE);
        assertThat(stream.readAllBytes()).isEqualTo(ABC);
        assertThat(stream.complete()).isTrue();
        assertThat(stream.sha256Hex()).isEqualTo(ABC_HEX);
        assertThat(stream.size()).isEqualTo(3);
    }

    @Test
    void aWrongDigestIsThrownInsteadOfTheEnd() {
        var stream = new DigestingInputStream(new ByteArrayInputStream(ABC), "0".repeat(64), 100, ContentInspector.NONE);
        assertThatThrownBy(stream::readAllBytes).isInstanceOf(DigestMismatchException.class).hasMessageContaining(ABC_HEX);
        assertThat(stream.refusal()).isInstanceOf(DigestMismatchException.class);
        assertThat(stream.complete()).isFalse();
        // the refusal sticks: a caller that retries a read can't mistake it for the end
        assertThatThrownBy(stream::read).isInstanceOf(DigestMismatchException.class);
    }

    @Test
    void contentOverTheLimitIsRefused() {
        var stream = new DigestingInputStream(new ByteArrayInputStream(ABC), null, 2, ContentInspector.NONE);
        assertThatThrownBy(stream::readAllBytes).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void theInspectorSeesEveryByteAndHasTheLastWord() {
        StringBuilder seen = new StringBuilder();
        ContentInspector refuseAtEnd = new ContentInspector() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                seen.append(new String(bytes, offset, length, StandardCharsets.US_ASCII));
            }

            @Override
            public void finish() {
                throw new InvalidRequestException("no thanks");
            }
        };
        var stream = new DigestingInputStream(new ByteArrayInputStream(ABC), null, 100, refuseAtEnd);
        assertThatThrownBy(stream::drain).isInstanceOf(InvalidRequestException.class);
        assertThat(seen).hasToString("abc");
    }

    @Test
    void aFailingSourceIsRecordedAsTheClientsFailure() {
        var failing = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        var stream = new DigestingInputStream(failing, null, 100, ContentInspector.NONE);
        assertThatThrownBy(stream::readAllBytes).isInstanceOf(IOException.class);
        assertThat(stream.readFailure()).hasMessage("connection reset");
    }
}
