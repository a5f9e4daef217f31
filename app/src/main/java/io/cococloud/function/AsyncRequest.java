package io.cococloud.function;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.cococloud.runtime.FunctionCode;
import io.cococloud.runtime.Invocation;

/**
 * The request of an async call as it is stored (executions.request, jsonb) until the call has run: everything
 * of an {@link Invocation} but the code, which is the function's deployed version when the call runs. The app
 * user was resolved when the call was accepted; only their public fields are kept.
 */
record AsyncRequest(String method, String mountPath, String routePrefix, String path, String queryString,
        List<List<String>> headers, String bodyBase64, Map<String, String> params, Map<String, Object> user,
        Invocation.Peer peer) {

    static AsyncRequest of(Invocation invocation) {
        List<List<String>> headers = new ArrayList<>(invocation.headers().size());
        invocation.headers().forEach(h -> headers.add(List.of(h.getKey(), h.getValue())));
        return new AsyncRequest(invocation.method(), invocation.mountPath(), invocation.routePrefix(),
                invocation.path(), invocation.queryString(), headers,
                Base64.getEncoder().encodeToString(invocation.body()), invocation.params(), invocation.user(),
                invocation.peer());
    }

    Invocation invocation(FunctionCode code) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>(headers.size());
        headers.forEach(h -> pairs.add(Map.entry(h.get(0), h.get(1))));
        return new Invocation(code, null, method, mountPath, routePrefix, path, queryString, pairs,
                HttpInvocations.query(queryString), Base64.getDecoder().decode(bodyBase64),
                params == null ? Map.of() : params, user, peer, null);
    }
}
