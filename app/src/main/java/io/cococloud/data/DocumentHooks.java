package io.cococloud.data;

import java.util.Map;
import java.util.UUID;

/**
 * What runs around document writes (the hook module implements it; data only calls it, so data depends on no one
 * for it). A write on a collection nothing watches pays one cached lookup ({@link #watches}) and no more: no
 * transaction, no read of the old document, no table read.
 */
public interface DocumentHooks {

    /** Nothing watches anything: for a server without the hook module (and tests of data alone). */
    DocumentHooks NONE = new DocumentHooks() {
        @Override
        public boolean watches(UUID projectId, String collection) {
            return false;
        }

        @Override
        public Map<String, Object> before(DocumentEvent event) {
            return event.data();
        }

        @Override
        public void after(DocumentEvent event) {
        }
    };

    /** Whether any hook of the project watches writes on this collection; answered from memory. */
    boolean watches(UUID projectId, String collection);

    /**
     * Runs the before-hooks of a create or an update and answers the fields to store. Throws a
     * {@link io.cococloud.error.DomainException} to refuse the write.
     */
    Map<String, Object> before(DocumentEvent event);

    /** Records the event for the after-hooks, in the write's own transaction. */
    void after(DocumentEvent event);
}
