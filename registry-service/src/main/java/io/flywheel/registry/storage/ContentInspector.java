package io.flywheel.registry.storage;

/**
 * Sees every byte of an upload as it streams past, in order, on the thread that reads it; may
 * refuse the content by throwing (a {@code RegistryException}), which aborts the upload before
 * anything is stored.
 */
public interface ContentInspector {

    ContentInspector NONE = new ContentInspector() {
        @Override
        public void update(byte[] bytes, int offset, int length) {
        }

        @Override
        public void finish() {
        }
    };

    void update(byte[] bytes, int offset, int length);

    /** The content has ended: last chance to refuse it. */
    void finish();
}
