package io.cococloud.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A boolean SQL expression over the documents table (alias {@code d}) with its bound parameters, in the
 * order of its {@code ?} placeholders. Values only ever travel in {@link #params()}, never in {@link #sql()}. It is
 * how the filter language hands out a compiled filter: a module combines it with conditions of its own
 * ({@link #and}) and puts the result, whole, in the WHERE of its own statement over a table with the documents'
 * column names (documents, app users).
 *
 * @param sql    a boolean expression, safe to wrap in parentheses and combine with AND / OR
 * @param params one value per {@code ?} in {@code sql}, in order
 */
public record SqlCondition(String sql, List<Object> params) {

    /** The condition every document meets: what an empty filter compiles to. */
    public static final SqlCondition TRUE = new SqlCondition("TRUE", List.of());

    /** The condition no document meets, e.g. {@code in} with an empty list. */
    static final SqlCondition FALSE = new SqlCondition("FALSE", List.of());

    public SqlCondition {
        // Immutable, and never a null parameter: a JSON null is bound as the JSON text "null".
        params = List.copyOf(params);
    }

    /** A condition with the given placeholders' values. */
    public static SqlCondition of(String sql, Object... params) {
        return new SqlCondition(sql, List.of(params));
    }

    /** All of the conditions; TRUE when there are none. */
    public static SqlCondition and(List<SqlCondition> conditions) {
        return join(conditions, " AND ", TRUE);
    }

    /** Any of the conditions; FALSE when there are none. */
    static SqlCondition or(List<SqlCondition> conditions) {
        return join(conditions, " OR ", FALSE);
    }

    /**
     * The opposite, where a condition that is unknown (SQL NULL, e.g. a comparison with an absent field)
     * counts as false, so its opposite is true: plain NOT would keep neither.
     */
    SqlCondition negate() {
        return new SqlCondition("NOT COALESCE((" + sql + "), FALSE)", params);
    }

    private static SqlCondition join(List<SqlCondition> conditions, String operator, SqlCondition empty) {
        if (conditions.isEmpty()) {
            return empty;
        }
        if (conditions.size() == 1) {
            return conditions.getFirst();
        }
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (SqlCondition condition : conditions) {
            if (!sql.isEmpty()) {
                sql.append(operator);
            }
            sql.append('(').append(condition.sql()).append(')');
            params.addAll(condition.params());
        }
        return new SqlCondition(sql.toString(), params);
    }
}
