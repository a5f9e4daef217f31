package io.cococloud.query;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated field name: either one of the documents table's own columns ({@code id}, {@code created_at},
 * {@code updated_at}) or a path into the document's JSON data ({@code address.city} is {@code ["address", "city"]}).
 *
 * <p>Every segment is checked against {@code [A-Za-z_][A-Za-z0-9_]{0,63}} when the path is made, so a path can be
 * written into SQL as a literal such as {@code d.data #> '{address,city}'}: it cannot contain a quote, brace,
 * comma or digit-only segment (which PostgreSQL would read as an array index). Writing the path as a literal
 * rather than binding it keeps the expression identical from query to query, so expression indexes on
 * {@code (data #>> '{views}')} and the like can serve it.
 *
 * @param segments the path's parts, at least one and at most {@value #MAX_SEGMENTS}
 */
public record FieldPath(List<String> segments) {

    /** How deep a field may be nested. */
    public static final int MAX_SEGMENTS = 8;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** Validates the segments: a path that exists is a path that is safe to write into SQL. */
    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.size() > MAX_SEGMENTS
                || !segments.stream().allMatch(segment -> SEGMENT.matcher(segment).matches())) {
            throw new FilterException("invalid field name '" + String.join(".", segments) + "'");
        }
    }

    /**
     * Reads a field name as callers write it, with dots between nested fields.
     *
     * @throws FilterException naming the field when a segment is empty or not letters, digits and underscores
     *                         starting with a letter or underscore, longer than 64 characters, or there are more
     *                         than {@value #MAX_SEGMENTS} segments
     */
    public static FieldPath parse(String name) {
        if (name == null) {
            throw new FilterException("invalid field name 'None'");
        }
        // limit -1 keeps empty segments ("a..b", "a.") so that they are rejected rather than skipped.
        String[] segments = name.split("\\.", -1);
        if (segments.length > MAX_SEGMENTS
                || !Arrays.stream(segments).allMatch(segment -> SEGMENT.matcher(segment).matches())) {
            throw new FilterException("invalid field name '" + name + "'");
        }
        return new FieldPath(Arrays.asList(segments));
    }

    /** The name as callers write it: {@code address.city}. */
    public String name() {
        return String.join(".", segments);
    }

    /** Whether this is a column of the documents table rather than a field of its data. */
    public boolean isColumn() {
        return segments.size() == 1 && switch (segments.getFirst()) {
            case "id", "created_at", "updated_at" -> true;
            default -> false;
        };
    }

    /** Whether this is one of the timestamp columns, {@code created_at} or {@code updated_at}. */
    boolean isTimeColumn() {
        return isColumn() && !segments.getFirst().equals("id");
    }

    /** The column itself, e.g. {@code d.created_at}; only for {@link #isColumn() columns}. */
    String column() {
        return "d." + segments.getFirst();
    }

    /** The data field's JSON value ({@code jsonb}), SQL NULL when absent: {@code d.data #> '{a,b}'}. */
    String json() {
        return "(d.data #> '{" + String.join(",", segments) + "}')";
    }

    /** The data field's value as text (strings unquoted), SQL NULL when absent: {@code d.data #>> '{a,b}'}. */
    String text() {
        return "(d.data #>> '{" + String.join(",", segments) + "}')";
    }

    /**
     * A document holding {@code value} at this path, for containment tests ({@code d.data @> ?::jsonb}) that the
     * collection's GIN index serves: {@code address.city} and "Paris" give {@code {"address": {"city": "Paris"}}}.
     */
    Map<String, Object> nest(Object value) {
        Object nested = value;
        for (int i = segments.size() - 1; i >= 0; i--) {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put(segments.get(i), nested); // LinkedHashMap, unlike Map.of, accepts a null value
            nested = level;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) nested;
        return document;
    }

    /**
     * An expression to ORDER BY this field. Columns sort by their type; data fields sort by their JSON value,
     * which PostgreSQL orders by type first (null &lt; strings &lt; numbers &lt; booleans &lt; arrays &lt;
     * objects), numbers numerically and strings by the database collation. Absent fields are SQL NULL.
     */
    String orderExpression() {
        return isColumn() ? column() : json();
    }
}
