package io.cococloud.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cococloud.query.FilterCompiler.Key;
import io.cococloud.query.FilterCompiler.Operator;

/** The filter language without a database: how keys are read, what is refused, and that values stay out of SQL. */
class FilterCompilerTest {

    @Test
    void aPlainKeyIsEquality() {
        assertKey("status", List.of("status"), Operator.EQ);
        assertKey("address.city", List.of("address.city"), Operator.EQ);
    }

    @Test
    void aSuffixIsAnOperatorOnlyWhenItNamesOne() {
        assertKey("views_gte", List.of("views"), Operator.GTE);
        assertKey("age__lt", List.of("age"), Operator.LT);
        assertKey("user_id", List.of("user_id"), Operator.EQ);
        assertKey("field_xyz", List.of("field_xyz"), Operator.EQ);
        assertKey("tags_contains", List.of("tags"), Operator.CONTAINS);
        assertKey("title__startswith", List.of("title"), Operator.STARTSWITH);
        assertKey("title_endswith", List.of("title"), Operator.ENDSWITH);
        assertKey("status_in", List.of("status"), Operator.IN);
        assertKey("status_notin", List.of("status"), Operator.NOTIN);
        assertKey("status_nin", List.of("status"), Operator.NOTIN);
        assertKey("status__nin", List.of("status"), Operator.NOTIN);
        assertKey("deleted_at_isnull", List.of("deleted_at"), Operator.ISNULL);
        assertKey("deleted_at__exists", List.of("deleted_at"), Operator.EXISTS);
        assertKey("a_ne", List.of("a"), Operator.NE);
        assertKey("a_eq", List.of("a"), Operator.EQ);
        assertKey("a_gt", List.of("a"), Operator.GT);
        assertKey("a_lte", List.of("a"), Operator.LTE);
        assertKey("address.city_contains", List.of("address.city"), Operator.CONTAINS);
    }

    @Test
    void theDoubleUnderscoreSplitComesFirst() {
        // "views_gte" is a field here: the operator after __ wins, and the rest is the field name.
        assertKey("views_gte__eq", List.of("views_gte"), Operator.EQ);
        assertKey("user_in__eq", List.of("user_in"), Operator.EQ);
        assertKey("a___gt", List.of("a_"), Operator.GT);
        // Not a word after __ (a dot, an underscore): not an operator attempt, so the single-underscore rule applies.
        assertKey("a__b_gt", List.of("a__b"), Operator.GT);
        assertKey("a__b.c", List.of("a__b.c"), Operator.EQ);
    }

    @Test
    void fieldsJoinedByOrShareTheOperator() {
        assertKey("title__or__body_contains", List.of("title", "body"), Operator.CONTAINS);
        assertKey("title__or__body__contains", List.of("title", "body"), Operator.CONTAINS);
        assertKey("a__or__b", List.of("a", "b"), Operator.EQ);
        assertKey("a__or__b.c__or__d_gt", List.of("a", "b.c", "d"), Operator.GT);
    }

    @Test
    void orPrefixesNameTheGroup() {
        assertThat(FilterCompiler.parseKey("status").orGroup()).isNull();
        assertThat(FilterCompiler.parseKey("[or]status").orGroup()).isEmpty();
        assertThat(FilterCompiler.parseKey("[or:mine]views_gt").orGroup()).isEqualTo("mine");
        Key key = FilterCompiler.parseKey("[or:x]title__or__body_contains");
        assertThat(key.orGroup()).isEqualTo("x");
        assertThat(key.fields()).extracting(FieldPath::name).containsExactly("title", "body");
        assertThat(key.operator()).isEqualTo(Operator.CONTAINS);
    }

    @Test
    void anUnknownOperatorAfterDoubleUnderscoreIsNamed() {
        assertThatThrownBy(() -> FilterCompiler.parseKey("views__between"))
                .isInstanceOf(FilterException.class).hasMessageContaining("'between'")
                .hasMessageContaining("views__between");
        assertThatThrownBy(() -> FilterCompiler.parseKey("views__GT"))
                .isInstanceOf(FilterException.class).hasMessageContaining("'GT'");
    }

    @Test
    void malformedFieldNamesAreRefused() {
        for (String name : List.of("bad-name", "a..b", "; DROP TABLE documents", "", ".a", "a.", "1abc", "a.1",
                "x'y", "a b", "{a}", "a,b", "é", "[and]x", "[or:]x", "a__or__", "__or__a",
                "a".repeat(65), "a.b.c.d.e.f.g.h.i")) {
            assertThatThrownBy(() -> FilterCompiler.compile(Map.of(name, "x")))
                    .as(name).isInstanceOf(FilterException.class).hasMessageContaining("invalid field name");
        }
        assertThat(FieldPath.parse("a".repeat(64)).segments()).hasSize(1);
        assertThat(FieldPath.parse("a.b.c.d.e.f.g.h").segments()).hasSize(8);
    }

    @Test
    void aFieldPathCannotBeBuiltAroundTheCheck() {
        assertThatThrownBy(() -> new FieldPath(List.of("a", "b'}')); DROP")))
                .isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> new FieldPath(List.of()))
                .isInstanceOf(FilterException.class);
    }

    @Test
    void columnsAreTheTableItselfAndDataFieldsArePaths() {
        assertThat(FieldPath.parse("id").isColumn()).isTrue();
        assertThat(FieldPath.parse("created_at").isColumn()).isTrue();
        assertThat(FieldPath.parse("updated_at").isColumn()).isTrue();
        assertThat(FieldPath.parse("owner.id").isColumn()).isFalse();
        assertThat(FieldPath.parse("views").isColumn()).isFalse();
        assertThat(FieldPath.parse("created_at").orderExpression()).isEqualTo("d.created_at");
        assertThat(FieldPath.parse("address.city").orderExpression()).isEqualTo("(d.data #> '{address,city}')");
        assertThat(FieldPath.parse("address.city").segments()).containsExactly("address", "city");
    }

    @Test
    void noFiltersIsTrue() {
        assertThat(FilterCompiler.compile(Map.of())).isEqualTo(SqlCondition.TRUE);
        assertThat(FilterCompiler.compile((Map<String, Object>) null)).isEqualTo(SqlCondition.TRUE);
    }

    @Test
    void valuesAreBoundNeverWritten() {
        String evil = "x' OR '1'='1'; DROP TABLE documents; --";
        for (String key : List.of("title", "title_ne", "title_gt", "title_contains", "title_startswith",
                "title_endswith", "title_in", "title_notin", "id", "id_contains", "id_in")) {
            SqlCondition condition = FilterCompiler.compile(Map.of(key, evil));
            assertThat(condition.sql()).as(key).doesNotContain("DROP").doesNotContain("1'='1");
            assertThat(condition.params().toString()).as(key).contains("DROP");
            assertPlaceholdersMatch(condition);
        }
    }

    @Test
    void equalityOnDataIsContainmentWithOneAlternativePerMeaning() {
        SqlCondition text = FilterCompiler.compile(Map.of("address.city", "Paris"));
        assertThat(text.sql()).isEqualTo("d.data @> ?::jsonb");
        assertThat(text.params()).containsExactly("{\"address\":{\"city\":\"Paris\"}}");

        SqlCondition number = FilterCompiler.compile(Map.of("views", "100"));
        assertThat(number.params()).containsExactly("{\"views\":\"100\"}", "{\"views\":100}");

        SqlCondition bool = FilterCompiler.compile(Map.of("featured", "true"));
        assertThat(bool.params()).containsExactly("{\"featured\":\"true\"}", "{\"featured\":true}");

        // Typed values from Python mean exactly their type.
        assertThat(FilterCompiler.compile(Map.of("views", 100)).params()).containsExactly("{\"views\":100}");
        assertThat(FilterCompiler.compile(Map.of("featured", true)).params()).containsExactly("{\"featured\":true}");
    }

    @Test
    void comparisonsBindTheKindTheValueReadsAs() {
        assertThat(FilterCompiler.compile(Map.of("views_gte", "100")).params())
                .containsExactly(new BigDecimal("100"));
        assertThat(FilterCompiler.compile(Map.of("views_gte", 100)).params())
                .containsExactly(new BigDecimal("100"));
        assertThat(FilterCompiler.compile(Map.of("when_lt", "2024-01-15T10:00:00+02:00")).params())
                .containsExactly(OffsetDateTime.parse("2024-01-15T08:00:00Z"));
        assertThat(FilterCompiler.compile(Map.of("when_lt", "2024-01-15")).params())
                .containsExactly(OffsetDateTime.parse("2024-01-15T00:00:00Z"));
        assertThat(FilterCompiler.compile(Map.of("title_lt", "m")).params()).containsExactly("m");
        // Looks like a date but is none: compared as text.
        assertThat(FilterCompiler.compile(Map.of("title_lt", "2024-02-30")).params()).containsExactly("2024-02-30");
        assertThat(FilterCompiler.compile(Map.of("created_at_gte", "2024-01-15 10:00")).sql())
                .isEqualTo("d.created_at >= ?");
    }

    @Test
    void wildcardsInTextMatchesAreEscaped() {
        SqlCondition condition = FilterCompiler.compile(Map.of("id_contains", "50%_off\\"));
        assertThat(condition.params()).containsExactly("%50\\%\\_off\\\\%");
        assertThat(FilterCompiler.compile(Map.of("id_startswith", "a_")).params()).containsExactly("a\\_%");
        assertThat(FilterCompiler.compile(Map.of("id_endswith", "%")).params()).containsExactly("%\\%");
    }

    @Test
    void groupsAreOredInsideAndAndedOutside() {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("[or]status", "draft");
        filters.put("kind", "post");
        filters.put("[or]featured", true);
        filters.put("[or:views]views_gt", 5);
        filters.put("[or:views]views_isnull", true);
        SqlCondition condition = FilterCompiler.compile(filters);
        assertThat(condition.sql()).startsWith("(d.data @> ?::jsonb) AND ((d.data @> ?::jsonb) OR (d.data @> ?::jsonb))"
                + " AND (((CASE WHEN jsonb_typeof((d.data #> '{views}')) = 'number'");
        assertThat(condition.sql()).contains(") OR ((d.data #> '{views}') IS NULL OR jsonb_typeof(");
        assertThat(condition.params()).containsExactly("{\"kind\":\"post\"}", "{\"status\":\"draft\"}",
                "{\"featured\":true}", new BigDecimal("5"));
        assertPlaceholdersMatch(condition);
    }

    @Test
    void badValuesAreRefusedNamingTheCulprit() {
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("views_gt", List.of(1, 2))))
                .isInstanceOf(FilterException.class).hasMessageContaining("'gt'").hasMessageContaining("'views'")
                .hasMessageContaining("list");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("featured_gt", true)))
                .isInstanceOf(FilterException.class).hasMessageContaining("featured");
        assertThatThrownBy(() -> compileOne("views_gt", null))
                .isInstanceOf(FilterException.class).hasMessageContaining("None");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("deleted_isnull", "maybe")))
                .isInstanceOf(FilterException.class).hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("deleted_exists", 1)))
                .isInstanceOf(FilterException.class).hasMessageContaining("exists");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("created_at_gt", "yesterday")))
                .isInstanceOf(FilterException.class).hasMessageContaining("'yesterday'")
                .hasMessageContaining("created_at");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("created_at_contains", "2024")))
                .isInstanceOf(FilterException.class).hasMessageContaining("created_at");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("tags_contains", List.of("a"))))
                .isInstanceOf(FilterException.class).hasMessageContaining("contains");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("tags_in", List.of(List.of("a")))))
                .isInstanceOf(FilterException.class).hasMessageContaining("'in'");
        assertThatThrownBy(() -> compileOne("tags_in", null))
                .isInstanceOf(FilterException.class).hasMessageContaining("'in'");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("tags_in", Arrays.asList(new Object[1001]))))
                .isInstanceOf(FilterException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("views_gt", Double.NaN)))
                .isInstanceOf(FilterException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("views_gt", new BigDecimal("1E+5000"))))
                .isInstanceOf(FilterException.class).hasMessageContaining("views");
        assertThatThrownBy(() -> FilterCompiler.compile(Map.of("views", new Object())))
                .isInstanceOf(FilterException.class).hasMessageContaining("Object");
    }

    private static SqlCondition compileOne(String key, Object value) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put(key, value);
        return FilterCompiler.compile(filters);
    }

    private static void assertKey(String key, List<String> fields, Operator operator) {
        Key parsed = FilterCompiler.parseKey(key);
        assertThat(parsed.fields()).as(key).extracting(FieldPath::name).containsExactlyElementsOf(fields);
        assertThat(parsed.operator()).as(key).isEqualTo(operator);
        assertThat(parsed.orGroup()).as(key).isNull();
    }

    private static void assertPlaceholdersMatch(SqlCondition condition) {
        long placeholders = condition.sql().chars().filter(c -> c == '?').count();
        assertThat(placeholders).as(condition.sql()).isEqualTo(condition.params().size());
    }
}
