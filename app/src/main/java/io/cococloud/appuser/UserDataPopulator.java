package io.cococloud.appuser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Populate on app users' {@code data}: replaces references with the records they name, as documents' populate
 * does, because it is documents' populate (the data module implements this). App users declare what they need
 * here instead of knowing collections, so the dependency runs one way: documents know their owners, users do not
 * know documents.
 */
public interface UserDataPopulator {

    /**
     * Populates the given {@code data} maps in place, reading only what the reader of {@code visible} may read: a
     * collection whose read rule it does not pass, and a user it may not see, leave the reference as stored.
     *
     * @param entries {@code field} or {@code field:target}, one level each (users take no nested paths)
     */
    void populate(UUID projectId, List<Map<String, Object>> data, List<String> entries, VisibleUsers visible);
}
