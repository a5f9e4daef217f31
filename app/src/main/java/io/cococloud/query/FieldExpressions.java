package io.cococloud.query;

import java.util.Locale;

/**
 * The SQL of a document field outside a filter: the sort order of a page, an aggregate, and the expressions of a
 * declared index. They live beside the filter compiler because an index serves a filter or a sort only when its
 * expression is exactly the one the query uses; the documents module asks for them by field name and never
 * writes a field's SQL itself.
 */
public final class FieldExpressions {

    private FieldExpressions() {
    }

    /** The expressions of the indexes declared on a data field, naming the table's columns (no alias). */
    public record IndexExpressions(String sortKey, String number) {
    }

    /**
     * ORDER BY for a sort field, with the id as tie-breaker so that pages are stable when values repeat (a batch
     * shares one created_at). Missing and null values count as the smallest, as in MongoDB: first ascending, last
     * descending. That is also the order a btree index built {@code (expression NULLS FIRST, id)} gives forwards
     * and backwards, so one declared index serves both directions (see {@link #index}).
     *
     * @param sort a field name, {@code -field} for descending; created_at when blank
     * @param order asc or desc (the default), or null
     */
    public static String orderBy(String sort, String order) {
        String field = sortField(sort);
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw new FilterException("order must be asc or desc, not '" + order + "'");
        }
        boolean descending = !"asc".equalsIgnoreCase(order);
        if (field.startsWith("-")) {
            field = field.substring(1);
            descending = true;
        }
        FieldPath path = FieldPath.parse(field);
        String direction = descending ? " DESC" : " ASC";
        String nulls = path.isColumn() ? "" : descending ? " NULLS LAST" : " NULLS FIRST";
        return path.orderExpression() + direction + nulls + ", d.id" + direction;
    }

    /**
     * Whether a sort is the order of creation (created_at, the default), which the documents_page_order index
     * (project, collection, created_at, id) gives in either direction without sorting.
     */
    public static boolean isCreationOrder(String sort) {
        String field = sortField(sort);
        return field.equals("created_at") || field.equals("-created_at");
    }

    /** The sort as given, created_at when blank; {@code -field} still marks descending. */
    private static String sortField(String sort) {
        return sort == null || sort.isBlank() ? "created_at" : sort.strip();
    }

    /**
     * count, sum, avg, min or max of a data field, over the values stored as JSON numbers only; its value is SQL
     * NULL when no number takes part.
     */
    public static String aggregate(String field, String operation) {
        FieldPath path = FieldPath.parse(field);
        if (path.isColumn()) {
            throw new FilterException("field '" + field + "' is not a data field and cannot be aggregated");
        }
        String function = switch (operation == null ? "" : operation.toLowerCase(Locale.ROOT)) {
            case "count", "sum", "avg", "min", "max" -> operation.toLowerCase(Locale.ROOT);
            default -> throw new FilterException("operation must be count, sum, avg, min or max, not '" + operation
                    + "'");
        };
        String json = path.json();
        return function + "((CASE WHEN jsonb_typeof(" + json + ") = 'number' THEN " + json + "::numeric END))::numeric";
    }

    /**
     * A data field's JSON value ({@code jsonb}) to group documents by; absent and null are one group, JSON null.
     */
    public static String groupValue(String field) {
        FieldPath path = FieldPath.parse(field);
        if (path.isColumn()) {
            throw new FilterException("field '" + field + "' is not a data field and cannot be grouped by");
        }
        return "coalesce(" + path.json() + ", 'null'::jsonb)";
    }

    /**
     * The sort key and the number of a data field as a declared index must spell them: the very expressions
     * {@link #orderBy} and the filter compiler's comparisons use, on the column {@code data} itself.
     */
    public static IndexExpressions index(String field) {
        FieldPath path = FieldPath.parse(field);
        // The query's expressions name the table alias d; an index names the column itself.
        return new IndexExpressions(path.json().replace("d.data", "data"),
                FilterCompiler.storedNumber(path).replace("d.data", "data"));
    }
}
