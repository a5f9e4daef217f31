package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.IntegrationTest;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.SqlCondition;
import io.cococloud.query.FilterException;

/**
 * The filter language against the real PostgreSQL: every operator over strings, numbers, booleans, dates,
 * arrays, nested objects, nulls and missing fields, with the exact documents each filter finds.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterLanguageTest {

    /** A project of its own, so that no other test's documents mix in. */
    static final UUID PROJECT = UUID.randomUUID();
    static final List<String> ALL = List.of("d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10",
            "d11", "d12");

    @Autowired
    JdbcTemplate db;

    @BeforeAll
    void insertDocuments() {
        db.update("INSERT INTO projects (id, slug, name) VALUES (?, ?, ?)", PROJECT, "filters-" + PROJECT, "Filters");
        db.update("INSERT INTO collections (project_id, name) VALUES (?, ?)", PROJECT, "posts");
        db.update("INSERT INTO collections (project_id, name) VALUES (?, ?)", PROJECT, "other");
        document("d01", """
                {"title": "Hello World", "status": "published", "views": 150, "rating": 4.5, "featured": true,
                 "tags": ["java", "sql"], "published_at": "2024-01-15T10:00:00Z",
                 "address": {"city": "Paris", "zip": "75001"}, "author_id": "u1"}""");
        document("d02", """
                {"title": "hello again", "status": "draft", "views": 99, "featured": false, "tags": ["python"],
                 "published_at": "2024-03-01", "address": {"city": "London"}}""");
        // 23:30 at -02:00 is 01:30 UTC the next day: compared as text it would sort before 2024-01-01.
        document("d03", """
                {"title": "100% pure", "status": "published", "views": "100", "featured": "true", "tags": [],
                 "published_at": "2023-12-31T23:30:00-02:00", "note": null}""");
        document("d04", """
                {"title": "under_score", "status": "archived", "views": 0, "tags": ["JAVA", 5], "deleted_at": null,
                 "address": {"city": "paris"}}""");
        document("d05", """
                {"title": "back\\\\slash", "status": "draft", "views": -5.5, "featured": true,
                 "published_at": "not a date", "tags": "java"}""");
        document("d06", """
                {"title": "x' OR '1'='1", "status": "published", "views": 1000, "published_at": "2024-02-30",
                 "price": "19.99"}""");
        // Stored values that would make an unguarded cast fail.
        document("d07", """
                {"status": null, "views": "9e999999", "published_at": "2024-13-45T99:99:99Z", "price": "1.2.3"}""");
        document("d08", """
                {"title": 42, "views": "many", "featured": null, "address": {"city": "Paris", "geo": {"lat": 48.85}}}""");
        document("d09", """
                {"title": "Zebra", "status": "Published", "views": 2500, "tags": ["a_b", "sql"],
                 "published_at": "2024-01-15"}""");
        document("d10", """
                {"title": "percent 50%", "status": "draft", "views": 100, "price": 25,
                 "published_at": "2024-01-15 08:00"}""");
        document("d11", """
                {"title": "", "status": "published", "views": 150.0, "rating": "4.5", "tags": ["java", "spring"],
                 "user_id": "u1", "views_gte": "odd"}""");
        document("d12", """
                {"status": "draft", "nested": {"deep": {"er": {"value": 7}}}, "tags": [["java"]]}""");
        // Same data in another collection: it must never show up.
        db.update("INSERT INTO documents (project_id, collection, id, data) VALUES (?, 'other', 'x01', ?::jsonb)",
                PROJECT, "{\"status\": \"published\", \"views\": 150}");
    }

    private void document(String id, String json) {
        String created = "2024-01-" + id.substring(1) + "T00:00:00Z";
        db.update("INSERT INTO documents (project_id, collection, id, data, created_at) "
                + "VALUES (?, 'posts', ?, ?::jsonb, ?::timestamptz)", PROJECT, id, json, created);
    }

    @AfterAll
    void removeProject() {
        db.update("DELETE FROM projects WHERE id = ?", PROJECT);
    }

    @Test
    void equality() {
        assertIds(filters("status", "published"), "d01", "d03", "d06", "d11");
        assertIds(filters("status_eq", "draft"), "d02", "d05", "d10", "d12");
        assertIds(filters("status__eq", "Published"), "d09");
        assertIds(filters("title", ""), "d11");
        assertIds(filters("user_id", "u1"), "d11");
        assertIds(filters("views_gte__eq", "odd"), "d11");
        assertIds(filters("tags", List.of("java", "sql")), "d01");
        assertIds(filters("address", Map.of("city", "London")), "d02");
    }

    @Test
    void stringsFromUrlsAlsoMatchAsNumbersAndBooleans() {
        assertIds(filters("views", "100"), "d03", "d10");
        assertIds(filters("views", "150"), "d01", "d11");
        assertIds(filters("views", "-5.5"), "d05");
        assertIds(filters("title", "42"), "d08");
        assertIds(filters("featured", "true"), "d01", "d03", "d05");
        assertIds(filters("featured", "TRUE"), "d01", "d05");
        assertIds(filters("featured", "false"), "d02");
    }

    @Test
    void typedValuesMatchTheirOwnType() {
        assertIds(filters("views", 100), "d10");
        assertIds(filters("views", 150L), "d01", "d11");
        assertIds(filters("views", -5.5), "d05");
        assertIds(filters("featured", true), "d01", "d05");
        assertIds(filters("featured", false), "d02");
    }

    @Test
    void nestedFields() {
        assertIds(filters("address.city", "Paris"), "d01", "d08");
        assertIds(filters("nested.deep.er.value", "7"), "d12");
        assertIds(filters("nested.deep.er.value_gt", 6), "d12");
        assertIds(filters("address.geo.lat_lt", "50"), "d08");
        assertIds(filters("address.city_contains", "PAR"), "d01", "d04", "d08");
        assertIds(filters("address.zip_in", "75001,75002"), "d01");
        assertIds(filters("address.geo.lat_exists", true), "d08");
        assertIds(filters("address.missing.deeper_isnull", true), ALL.toArray(String[]::new));
    }

    @Test
    void notEqualCountsMissingAndNullAsNotEqual() {
        assertIds(filters("status_ne", "published"), "d02", "d04", "d05", "d07", "d08", "d09", "d10", "d12");
        assertIds(filters("views_ne", "100"), without("d03", "d10"));
        assertIds(filters("featured__ne", true), without("d01", "d05"));
        assertIds(filters("featured_ne", "true"), without("d01", "d03", "d05"));
        assertIds(filters("tags_ne", List.of("java", "sql")), without("d01"));
    }

    @Test
    void noneMeansNull() {
        assertIds(filters("status", null), "d07", "d08");
        assertIds(filters("status_ne", null), without("d07", "d08"));
        assertIds(filters("id", null));
        assertIds(filters("id_ne", null), ALL.toArray(String[]::new));
    }

    @Test
    void numericComparisons() {
        // "100" (d03) is a numeric string; "many" (d08) and "9e999999" (d07) are not compared at all.
        assertIds(filters("views_gte", "100"), "d01", "d03", "d06", "d09", "d10", "d11");
        assertIds(filters("views_gt", 100), "d01", "d06", "d09", "d11");
        assertIds(filters("views__lt", "0"), "d05");
        assertIds(filters("views_lte", 99.5), "d02", "d04", "d05");
        assertIds(filters("views_gt", "1e3"), "d09");
        assertIds(filters("price_lt", 20), "d06");
        assertIds(filters("rating_gte", "4.5"), "d01", "d11");
    }

    @Test
    void dateComparisons() {
        // Stored strings that are no dates ("not a date", 2024-02-30, month 13) never match and never fail.
        assertIds(filters("published_at_gte", "2024-01-15"), "d01", "d02", "d09", "d10");
        assertIds(filters("published_at_lt", "2024-01-01T02:00:00Z"), "d03");
        assertIds(filters("published_at_lt", "2024-01-01"));
        assertIds(filters("published_at_gt", "2024-01-15T09:00:00+01:00"), "d01", "d02");
        assertIds(filters("published_at_lte", "2024-01-15T08:00:00.000Z"), "d03", "d09", "d10");
        assertIds(filters("published_at__lt", "2024-01-15 10:00:00+0000"), "d03", "d09", "d10");
    }

    @Test
    void timestampColumns() {
        assertIds(filters("created_at_gte", "2024-01-10"), "d10", "d11", "d12");
        assertIds(filters("created_at_lt", "2024-01-03T00:00:00Z"), "d01", "d02");
        assertIds(filters("created_at", "2024-01-05T00:00:00Z"), "d05");
        assertIds(filters("created_at", "2024-01-05T01:00:00+01:00"), "d05");
        assertIds(filters("created_at_ne", "2024-01-05T00:00:00Z"), without("d05"));
        assertIds(filters("created_at_in", "2024-01-01, 2024-01-02"), "d01", "d02");
        assertIds(filters("updated_at_gt", "2000-01-01"), ALL.toArray(String[]::new));
        assertIds(filters("created_at_exists", "true"), ALL.toArray(String[]::new));
        assertIds(filters("created_at_isnull", "true"));
    }

    @Test
    void textComparisons() {
        // Only stored strings take part: 42 (d08) is a number, d07 and d12 have no title.
        assertIds(filters("title_gt", ""), "d01", "d02", "d03", "d04", "d05", "d06", "d09", "d10");
        assertIds(filters("address.city_lt", "M"), "d02");
        assertIds(filters("id_gte", "d11"), "d11", "d12");
        assertIds(filters("id_lt", "d02"), "d01");
    }

    @Test
    void textMatchesAreCaseInsensitiveAndTakeWildcardsLiterally() {
        assertIds(filters("title_contains", "hello"), "d01", "d02");
        assertIds(filters("title_startswith", "HEL"), "d01", "d02");
        assertIds(filters("title_endswith", "ORLD"), "d01");
        assertIds(filters("title_contains", "%"), "d03", "d10");
        assertIds(filters("title_endswith", "%"), "d10");
        assertIds(filters("title_contains", "_"), "d04");
        assertIds(filters("title_contains", "\\"), "d05");
        assertIds(filters("title_contains", "x' OR '1'='1"), "d06");
        assertIds(filters("title__contains", "' OR 1=1 --"));
        // Numbers are not text.
        assertIds(filters("title_contains", "42"));
        assertIds(filters("id_contains", "1"), "d01", "d10", "d11", "d12");
        assertIds(filters("id_startswith", "D0"), "d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09");
        assertIds(filters("id_endswith", "_"));
    }

    @Test
    void arraysHaveElements() {
        // d05's tags is the string "java", which contains "java" as text; d12's ["java"] is an element, not "java".
        assertIds(filters("tags_contains", "java"), "d01", "d05", "d11");
        assertIds(filters("tags_contains", "sql"), "d01", "d09");
        assertIds(filters("tags_contains", "5"), "d04");
        assertIds(filters("tags_contains", 5), "d04");
        assertIds(filters("tags_startswith", "SP"), "d11");
        assertIds(filters("tags_startswith", "ja"), "d01", "d04", "d05", "d11");
        assertIds(filters("tags_endswith", "_b"), "d09");
        assertIds(filters("tags_endswith", "_"));
    }

    @Test
    void membership() {
        assertIds(filters("status_in", "draft,archived"), "d02", "d04", "d05", "d10", "d12");
        assertIds(filters("status__in", List.of("published", "archived")), "d01", "d03", "d04", "d06", "d11");
        assertIds(filters("views_in", "99, 1000"), "d02", "d06");
        assertIds(filters("views_in", List.of(150, "many")), "d01", "d08", "d11");
        assertIds(filters("views_in", 99), "d02");
        assertIds(filters("status_in", Arrays.asList(null, "archived")), "d04", "d07", "d08");
        assertIds(filters("status_in", ""));
        assertIds(filters("id_in", "d01,d03"), "d01", "d03");
        assertIds(filters("id_in", List.of("d12")), "d12");
    }

    @Test
    void exclusionCountsMissingAndNullAsNotIn() {
        assertIds(filters("status_notin", "published,draft"), "d04", "d07", "d08", "d09");
        assertIds(filters("status_nin", Arrays.asList("published", "draft", null)), "d04", "d09");
        assertIds(filters("status__nin", List.of("published")), without("d01", "d03", "d06", "d11"));
        assertIds(filters("id_notin", "d01,d03"), without("d01", "d03"));
        assertIds(filters("status_notin", ""), ALL.toArray(String[]::new));
    }

    @Test
    void isnullAndExists() {
        assertIds(filters("note_isnull", true), ALL.toArray(String[]::new));
        assertIds(filters("note_exists", true), "d03");
        assertIds(filters("featured_isnull", "true"), "d04", "d06", "d07", "d08", "d09", "d10", "d11", "d12");
        assertIds(filters("featured_isnull", "false"), "d01", "d02", "d03", "d05");
        assertIds(filters("featured_exists", true), "d01", "d02", "d03", "d05", "d08");
        assertIds(filters("featured__exists", "False"), "d04", "d06", "d07", "d09", "d10", "d11", "d12");
        assertIds(filters("deleted_at_exists", "true"), "d04");
        assertIds(filters("deleted_at_isnull", false));
        assertIds(filters("id_isnull", "true"));
        assertIds(filters("id_exists", "false"));
    }

    @Test
    void orGroups() {
        assertIds(filters("[or]status", "draft", "[or]featured", "true"), "d01", "d02", "d03", "d05", "d10", "d12");
        assertIds(filters("[or]status", "draft", "[or]featured", "true", "views_gt", "100"), "d01");
        // (published or archived) and (views < 100 or featured)
        assertIds(filters("[or:a]status", "published", "[or:a]status__eq", "archived",
                "[or:b]views_lt", "100", "[or:b]featured", true), "d01", "d04");
        // (draft or archived) and (has tag java or title starts with p)
        assertIds(filters("[or]status", "draft", "[or]status_eq", "archived",
                "[or:x]tags_contains", "java", "[or:x]title_startswith", "p"), "d05", "d10");
        assertIds(filters("[or]id", "d01"), "d01");
    }

    @Test
    void orBetweenFields() {
        assertIds(filters("title__or__status_contains", "pub"), "d01", "d03", "d06", "d09", "d11");
        assertIds(filters("title__or__address.city_contains", "hello"), "d01", "d02");
        assertIds(filters("title__or__address.city__contains", "par"), "d01", "d04", "d08");
        assertIds(filters("status__or__title", "draft"), "d02", "d05", "d10", "d12");
        assertIds(filters("price__or__views_lt", 20), "d04", "d05", "d06");
        assertIds(filters("[or]title__or__tags_contains", "python", "[or]id", "d12"), "d02", "d12");
    }

    @Test
    void everyOperatorOnEveryKindOfStoredValueRunsWithoutError() {
        List<String> fields = List.of("title", "status", "views", "rating", "featured", "tags", "published_at",
                "address", "address.city", "note", "price", "nested.deep", "missing", "id", "created_at");
        List<String> operators = List.of("eq", "ne", "gt", "gte", "lt", "lte", "contains", "startswith", "endswith",
                "in", "notin", "isnull", "exists");
        List<Object> values = Arrays.asList("100", "2024-01-15", "2024-01-15T10:00:00Z", "abc", "true", "", 7, 1.5,
                true, null, List.of("a", 1));
        for (String field : fields) {
            for (String operator : operators) {
                for (Object value : values) {
                    Map<String, Object> filter = filters(field + "__" + operator, value);
                    try {
                        FilterCompiler.compile(filter);
                    } catch (FilterException refused) {
                        continue; // refusing a combination is fine; failing in SQL is not
                    }
                    assertThatCode(() -> ids(filter)).as("%s", filter).doesNotThrowAnyException();
                }
            }
        }
    }

    @Test
    void injectionInFieldNamesIsRefusedAndInValuesIsHarmless() {
        for (String key : List.of("title; DROP TABLE documents", "a') OR ('1'='1", "title'--", "data}'",
                "title\" OR 1=1", "[or]x' OR 1=1", "a.b') IS NULL OR ('", "a__or__b; --")) {
            assertThatThrownBy(() -> FilterCompiler.compile(filters(key, "x"))).as(key)
                    .isInstanceOf(FilterException.class).hasMessageContaining("invalid field name");
        }
        assertIds(filters("title", "x' OR '1'='1"), "d06");
        assertIds(filters("status", "'; DELETE FROM documents; --"));
        assertIds(filters("status_in", "x'); DELETE FROM documents; --"));
        assertIds(filters("id_gt", "d11' OR '1'='1"), "d12");
        assertIds(filters("title_contains", "%"), "d03", "d10");
        assertIds(filters("title_contains", "_"), "d04");
        assertIds(filters("title_contains", "\\"), "d05");
        assertIds(filters("views", "1 OR 1=1"));
        assertIds(filters("published_at", "2024-01-01'::timestamptz OR TRUE --"));
        // Not a date, so compared as text: every stored string after it, and nothing else.
        assertIds(filters("published_at_gt", "2024-01-01'::timestamptz OR TRUE --"),
                "d01", "d02", "d05", "d06", "d07", "d09", "d10");
        Integer rows = db.queryForObject("SELECT count(*) FROM documents WHERE project_id = ?", Integer.class, PROJECT);
        assertThat(rows).isEqualTo(13);
    }

    private void assertIds(Map<String, Object> filters, String... expected) {
        assertThat(ids(filters)).as("%s", filters).containsExactly(expected);
    }

    private List<String> ids(Map<String, Object> filters) {
        SqlCondition where = FilterCompiler.compile(filters);
        List<Object> params = new ArrayList<>(List.of(PROJECT, "posts"));
        params.addAll(where.params());
        return db.queryForList("SELECT d.id FROM documents d WHERE d.project_id = ? AND d.collection = ? AND ("
                + where.sql() + ") ORDER BY d.id", String.class, params.toArray());
    }

    private static String[] without(String... excluded) {
        return ALL.stream().filter(id -> !List.of(excluded).contains(id)).toArray(String[]::new);
    }

    /** Keys and values in order; unlike Map.of, it takes null values. */
    private static Map<String, Object> filters(Object... keysAndValues) {
        Map<String, Object> filters = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            filters.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return filters;
    }
}
