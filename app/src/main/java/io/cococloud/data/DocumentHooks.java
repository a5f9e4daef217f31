package io.cococloud.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What runs around document writes (the hook and realtime modules implement it; data only calls it, so data
 * depends on neither). A write on a collection nothing watches pays one cached lookup ({@link #watches}) and no more: no
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

    /**
     * All of them as one (the hook module's and realtime's): a write is watched when any of them watches it; the
     * before-steps run in turn, each seeing what the previous one made of the fields; every after-step runs.
     */
    static DocumentHooks all(List<DocumentHooks> each) {
        if (each.isEmpty()) {
            return NONE;
        }
        if (each.size() == 1) {
            return each.getFirst();
        }
        return new DocumentHooks() {
            @Override
            public boolean watches(UUID projectId, String collection) {
                return each.stream().anyMatch(hooks -> hooks.watches(projectId, collection));
            }

            @Override
            public Map<String, Object> before(DocumentEvent event) {
                DocumentEvent current = event;
                for (DocumentHooks hooks : each) {
                    current = current.withData(new LinkedHashMap<>(hooks.before(current)));
                }
                return current.data();
            }

            @Override
            public void after(DocumentEvent event) {
                each.forEach(hooks -> hooks.after(event));
            }
        };
    }

    /** Whether any hook of the project watches writes on this collection; answered from memory. */
    boolean watches(UUID projectId, String collection);

    /**
     * Runs the before-hooks of a create, an update or a delete and answers the fields to store (for a delete: its
     * fields, unchanged; the caller ignores them, as a deleted document stores nothing). Throws a
     * {@link io.cococloud.error.DomainException} to refuse the write.
     */
    Map<String, Object> before(DocumentEvent event);

    /** Records the event for the after-hooks, in the write's own transaction. */
    void after(DocumentEvent event);
}
