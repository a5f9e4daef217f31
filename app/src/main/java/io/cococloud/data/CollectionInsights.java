package io.cococloud.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.query.FieldExpressions;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.SqlCondition;

/**
 * What a collection holds, summed up in SQL: documents grouped by a field's value, and the fields its documents
 * have (the schema the Flutter SDK's getCollectionSchema asks for). Every statement names the project.
 */
@Service
class CollectionInsights {

    /** Groups answered at most, the largest first: a field of unique values must not answer one group per document. */
    static final int MAX_GROUPS = 1000;
    /** Documents (the newest) whose fields make up a schema: documents may differ, so it is a sample's summary. */
    static final int SCHEMA_SAMPLE = 1000;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CollectionInsights(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One value of the grouped field (null for absent or null) and how many matching documents hold it. */
    record Group(Object value, long count) {}

    /**
     * A data field: its JSON type ("mixed" when documents disagree) and whether some document lacks it or holds null.
     */
    record Field(String name, String type, boolean nullable) {}

    List<Group> groupBy(UUID projectId, String collection, String field,
            Collection<? extends Map.Entry<String, ?>> filters) {
        DocumentService.requireCollection(collection);
        String value = FieldExpressions.groupValue(field);
        SqlCondition where = FilterCompiler.compile(filters);
        List<Object> params = new ArrayList<>(List.of(projectId, collection));
        params.addAll(where.params());
        params.add(MAX_GROUPS);
        return jdbc.sql("SELECT " + value + "::text AS value, count(*) AS count FROM documents d"
                + " WHERE d.project_id = ? AND d.collection = ? AND (" + where.sql() + ")"
                + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?").params(params)
                .query((rs, row) -> new Group(json.readValue(rs.getString("value"), Object.class), rs.getLong("count")))
                .list();
    }

    List<Field> schema(UUID projectId, String collection) {
        DocumentService.requireCollection(collection);
        return jdbc.sql("""
                WITH sample AS (SELECT d.data FROM documents d WHERE d.project_id = ? AND d.collection = ?
                                ORDER BY d.created_at DESC, d.id DESC LIMIT ?),
                     fields AS (SELECT e.key, jsonb_typeof(e.value) AS type FROM sample s, jsonb_each(s.data) e)
                SELECT key, array_agg(DISTINCT type) FILTER (WHERE type <> 'null') AS types,
                       count(*) FILTER (WHERE type <> 'null') < (SELECT count(*) FROM sample) AS nullable
                FROM fields GROUP BY key ORDER BY key COLLATE "C"
                """).params(projectId, collection, SCHEMA_SAMPLE)
                .query((rs, row) -> {
                    java.sql.Array types = rs.getArray("types");
                    List<String> names = types == null ? List.of() : Arrays.asList((String[]) types.getArray());
                    String type = names.isEmpty() ? "null" : names.size() == 1 ? names.getFirst() : "mixed";
                    return new Field(rs.getString("key"), type, rs.getBoolean("nullable"));
                }).list();
    }
}
