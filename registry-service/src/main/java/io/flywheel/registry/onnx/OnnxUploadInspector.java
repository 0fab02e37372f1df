package io.flywheel.registry.onnx;

import io.flywheel.onnx.InvalidModelException;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.OnnxSupport;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.Signature;
import io.flywheel.registry.storage.ContentInspector;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads an ONNX upload's graph while the bytes stream to storage, so a model of any size is checked
 * without being held in memory or read twice: the bytes are passed through a small {@link BytePipe}
 * to {@link OnnxGraph#read(java.io.InputStream)} on a virtual thread, which skips the weights (they
 * are dropped, not copied). A file that is not ONNX is refused at the first bytes that say so; at the
 * end of the content the graph must be one ONNX Runtime can serve and fit the version's signature.
 * A refusal aborts the upload before anything is stored. Close it whatever happens.
 */
public final class OnnxUploadInspector implements ContentInspector, AutoCloseable {

    /** Protobuf, hence ONNX, limits a file (a ModelProto) to 2 GiB. */
    static final long MAX_BYTES = Integer.MAX_VALUE;
    private static final int PIPE_BYTES = 256 * 1024;

    private final Signature declared;
    private final BytePipe pipe = new BytePipe(PIPE_BYTES);
    private final CompletableFuture<OnnxGraph> parsed = new CompletableFuture<>();
    private long size;
    private OnnxGraph graph;

    /** @param declared the version's signature as registered, or null to fill it from the graph */
    public OnnxUploadInspector(Signature declared) {
        this.declared = declared;
        Thread.ofVirtual().name("onnx-upload-parser").start(() -> {
            try {
                parsed.complete(OnnxGraph.read(pipe));
            } catch (Throwable e) {
                parsed.completeExceptionally(e);
            } finally {
                pipe.close();
            }
        });
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        size += length;
        if (size > MAX_BYTES) {
            throw new ModelRejectedException("an ONNX file holds at most 2 GiB (" + MAX_BYTES + " bytes, protobuf's limit);"
                    + " this one is larger, so it is no single-file ONNX model");
        }
        if (parsed.isCompletedExceptionally()) {
            throw refusal(); // not ONNX: say so now rather than after the whole upload
        }
        pipe.write(bytes, offset, length);
    }

    @Override
    public void finish() {
        pipe.close(true);
        OnnxGraph read;
        try {
            read = parsed.get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw refusal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the ONNX graph", e);
        }
        List<String> problems = OnnxSupport.problems(read);
        if (!problems.isEmpty()) {
            throw new ModelRejectedException(InvalidModelException.unsupported(problems).getMessage());
        }
        OnnxSignatures.fit(read, declared); // a misfit refuses the upload before it is stored
        graph = read;
    }

    /** The graph, once {@link #finish()} accepted the content. */
    public OnnxGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("the upload has not been accepted");
        }
        return graph;
    }

    /** Whether the parser thread is done (it has read to the end, failed, or was cut off by {@link #close()}). */
    boolean parserFinished() {
        return parsed.isDone();
    }

    /** Ends the parser if the upload stopped before its end (client gone, S3 failed). */
    @Override
    public void close() {
        pipe.close(true);
        pipe.close();
    }

    private ModelRejectedException refusal() {
        Throwable cause;
        try {
            parsed.getNow(null);
            cause = null;
        } catch (Exception e) {
            cause = e.getCause() == null ? e : e.getCause();
        }
        if (cause instanceof InvalidModelException invalid) {
            return new ModelRejectedException(invalid.getMessage());
        }
        if (cause instanceof ModelRejectedException rejected) {
            return rejected;
        }
        return new ModelRejectedException("the ONNX graph could not be read"
                + (cause == null ? " in time" : ": " + cause.getMessage()));
    }
}
