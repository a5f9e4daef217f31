package io.cococloud.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to fetch from a collection.
 *
 * @param filters the filter language of docs/client-api.md#filters, as key/value pairs; a key may repeat, as in a query
 *                string ({@code [or]status=a&[or]status=b})
 * @param sort    a field ({@code -field} for descending), or null for created_at
 * @param order   "asc" or "desc" (default desc); a leading '-' on sort wins
 * @param select  dotted fields to return ({@code id} always is), or null for all
 */
public record DocumentQuery(List<Map.Entry<String, Object>> filters, String sort, String order, int limit,
        int offset, List<String> select) {

    public static final int MAX_LIMIT = 1000;

    /** A query whose filters are a map, as Python's keyword arguments are: no key repeats. */
    public DocumentQuery(Map<String, Object> filters, String sort, String order, int limit, int offset,
            List<String> select) {
        this(filters == null ? List.of() : new ArrayList<>(filters.entrySet()), sort, order, limit, offset, select);
    }
}
