package io.cococloud.runtime;

import java.util.List;
import java.util.Map;

/**
 * One call of a function, as plain values: the runtime knows nothing of servlets.
 *
 * <p>The URL path of a call is {@code mountPath + path}. WSGI's {@code SCRIPT_NAME} is {@code mountPath +
 * routePrefix} and its {@code PATH_INFO} the rest of {@code path}; a class handler's {@code self.path} is
 * {@code path} with the query string.
 *
 * @param requestId   the execution's id: context.request_id, X-Execution-Id and the execution record agree
 * @param mountPath   the URL path before the function's own ("/functions/{id}/invoke", "/p/{project}", or "")
 * @param routePrefix for a site route, the part of {@code path} a framework app does not see ("/api" for
 *                    api/index.py); "" otherwise
 * @param path        the path the function sees (request.path, req.path): "/" for /execute, the part after
 *                    /invoke, the path within the site for a site route
 * @param queryString the raw query string as sent ("" when none)
 * @param headers     name/value pairs, as sent
 * @param query       decoded name/value pairs of the query string, in order
 * @param params      route parameters (site routes), else empty
 * @param user        the public fields of the app user whose token came with the request, or null
 * @param peer        who called, and on which server name, port and scheme
 * @param rawEvent    for an event function run by the admin API's test with a raw event: the event's bytes as
 *                    given; null to build the HTTP-trigger event from the request (docs/functions.md, event handlers)
 */
public record Invocation(FunctionCode function, String requestId, String method, String mountPath,
        String routePrefix, String path, String queryString, List<Map.Entry<String, String>> headers,
        List<Map.Entry<String, String>> query, byte[] body, Map<String, String> params, Map<String, Object> user,
        Peer peer, byte[] rawEvent) {

    /** The connection a call came on; for WSGI's SERVER_NAME, SERVER_PORT, wsgi.url_scheme and REMOTE_ADDR. */
    public record Peer(String scheme, String serverName, int serverPort, String remoteAddress) {
        public static final Peer LOCAL = new Peer("http", "localhost", 80, "127.0.0.1");
    }

    public Invocation withRequestId(String id) {
        return new Invocation(function, id, method, mountPath, routePrefix, path, queryString, headers, query, body,
                params, user, peer, rawEvent);
    }

    /** A plain call with no site route, no raw event: what tests and simple callers need. */
    public static Invocation of(FunctionCode function, String method, String path, List<Map.Entry<String, String>>
            headers, List<Map.Entry<String, String>> query, byte[] body, Map<String, Object> user) {
        return new Invocation(function, null, method, "", "", path, "", headers, query, body, Map.of(), user,
                Peer.LOCAL, null);
    }
}
