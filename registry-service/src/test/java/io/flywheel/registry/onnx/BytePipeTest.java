package io.flywheel.registry.onnx;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BytePipeTest {

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(3).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code bytes} in chunks of {@code chunk} from another thread, then closes the writer's side. */
    private static CompletableFuture<Void> writeAll(BytePipe pipe, byte[] bytes, int chunk) {
        return CompletableFuture.runAsync(() -> {
            for (int at = 0; at < bytes.length; at += chunk) {
                pipe.write(bytes, at, Math.min(chunk, bytes.length - at));
            }
            pipe.close(true);
        });
    }

    @Test
    void theReaderGetsEveryByteInOrderThroughASmallBuffer() throws Exception {
        byte[] bytes = random(1_000_003);
        BytePipe pipe = new BytePipe(4096);
        CompletableFuture<Void> writer = writeAll(pipe, bytes, 10_000);

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[777];
        int n;
        while ((n = pipe.read(buffer, 0, buffer.length)) >= 0) {
            read.write(buffer, 0, n);
        }

        writer.get(10, TimeUnit.SECONDS);
        assertThat(read.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void skippedBytesAreDroppedAndTheRestReadsOn() throws Exception {
        byte[] bytes = random(3_000_000);
        BytePipe pipe = new BytePipe(1024);
        CompletableFuture<Void> writer = writeAll(pipe, bytes, 65536);

        byte[] first = pipe.readNBytes(100);
        assertThat(pipe.skip(2_500_000)).isEqualTo(2_500_000);
        byte[] rest = pipe.readAllBytes();

        writer.get(10, TimeUnit.SECONDS);
        assertThat(first).isEqualTo(Arrays.copyOfRange(bytes, 0, 100));
        assertThat(rest).isEqualTo(Arrays.copyOfRange(bytes, 2_500_100, bytes.length));
    }

    @Test
    void aSkipPastTheEndStopsThere() throws Exception {
        byte[] bytes = random(5000);
        BytePipe pipe = new BytePipe(1024);
        CompletableFuture<Void> writer = writeAll(pipe, bytes, 700);

        assertThat(pipe.skip(1_000_000)).isEqualTo(5000);
        assertThat(pipe.read()).isEqualTo(-1);
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWriterIsNeverBlockedByAReaderThatStopped() throws Exception {
        BytePipe pipe = new BytePipe(1024);
        pipe.readNBytes(0);
        pipe.close(); // the reader is done (a parser that failed)

        // far more than the buffer holds, and nobody reads: dropped, not waited on
        writeAll(pipe, random(100_000), 4096).get(10, TimeUnit.SECONDS);
    }
}
