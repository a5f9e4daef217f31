package io.cococloud.realtime;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.cococloud.query.FilterCompiler;
import io.cococloud.query.SqlCondition;

import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a changed document matches watchers' filters, decided by PostgreSQL with the very conditions the client
 * API's queries use ({@link FilterCompiler}), so that a filter means the same thing on a socket as in a list: all the
 * distinct filters of a change's watchers in one statement over the document's fields, with no table read. A
 * document matches when its fields after the change or before it match (an update that takes a document out of a
 * filter is still seen, so that the watcher can drop it). {@code created_at} and {@code updated_at} are not part of
 * an event and never match.
 */
@Component
class RealtimeFilters {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RealtimeFilters(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Values one watch's filters may bind: every change evaluates them (an {@code in} list counts each element). */
    static final int MAX_VALUES = 100;
    /** Distinct filters evaluated by one statement; more take more statements. */
    static final int PER_STATEMENT = 100;

    /**
     * Throws the client API's 400 wording ({@link io.cococloud.query.FilterException}) for a filter it refuses, and
     * a refusal for one that binds more than {@link #MAX_VALUES} values.
     */
    static void check(Map<String, Object> filters) {
        int values = FilterCompiler.compile(filters).params().size();
        if (values > MAX_VALUES) {
            throw new ChannelRefusal(ChannelRefusal.BAD_MESSAGE, "A watch's filters may hold at most " + MAX_VALUES
                    + " values (these hold " + values + "): narrow them, or filter the events in the app");
        }
    }

    /** For each of {@code filters}, whether the document matches it; {@code oldData} may be null. */
    boolean[] matches(List<Map<String, Object>> filters, String id, Map<String, Object> data,
            Map<String, Object> oldData) {
        boolean[] matches = new boolean[filters.size()];
        for (int from = 0; from < filters.size(); from += PER_STATEMENT) {
            List<Map<String, Object>> some = filters.subList(from, Math.min(filters.size(), from + PER_STATEMENT));
            System.arraycopy(matchesOf(some, id, data, oldData), 0, matches, from, some.size());
        }
        return matches;
    }

    private boolean[] matchesOf(List<Map<String, Object>> filters, String id, Map<String, Object> data,
            Map<String, Object> oldData) {
        boolean[] matches = new boolean[filters.size()];
        List<String> columns = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i).isEmpty()) {
                matches[i] = true;
                continue;
            }
            SqlCondition condition = FilterCompiler.compile(filters.get(i));
            columns.add("coalesce(bool_or(" + condition.sql() + "), false)");
            params.addAll(condition.params());
            asked.add(i);
        }
        if (asked.isEmpty()) {
            return matches;
        }
        StringBuilder rows = new StringBuilder("(?::text, ?::jsonb, NULL::timestamptz, NULL::timestamptz)");
        params.add(id);
        params.add(json.writeValueAsString(data));
        if (oldData != null) {
            rows.append(", (?::text, ?::jsonb, NULL::timestamptz, NULL::timestamptz)");
            params.add(id);
            params.add(json.writeValueAsString(oldData));
        }
        return jdbc.sql("SELECT " + String.join(", ", columns) + " FROM (VALUES " + rows
                + ") AS d (id, data, created_at, updated_at)").params(params).query((ResultSet rs) -> {
                    rs.next();
                    for (int k = 0; k < asked.size(); k++) {
                        matches[asked.get(k)] = rs.getBoolean(k + 1);
                    }
                    return matches;
                });
    }
}
