package io.cococloud.runtime;

import java.util.List;
import java.util.Map;

/**
 * One call of a function, as plain values: the runtime knows nothing of servlets.
 *
 * @param path    the request path the function sees (after /invoke for invoke URLs)
 * @param headers name/value pairs, as sent
 * @param query   decoded name/value pairs of the query string, in order
 * @param params  route parameters (site routes), else empty
 * @param user    the public fields of the app user whose token came with the request, or null
 */
public record Invocation(FunctionCode function, String method, String path, List<Map.Entry<String, String>> headers,
        List<Map.Entry<String, String>> query, byte[] body, Map<String, String> params, Map<String, Object> user) {
}
