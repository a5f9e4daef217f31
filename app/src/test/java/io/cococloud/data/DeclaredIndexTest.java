package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;
import io.cococloud.query.FieldExpressions;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.SqlCondition;

/**
 * Declared indexed fields become btree indexes on exactly the expressions that filters and sorts compile to, so
 * that PostgreSQL can use them; they go when the declaration, the collection or the project goes.
 */
@IntegrationTest
class DeclaredIndexTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    AdminApi owner;
    String projectId;
    String base;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = AdminApi.API + "/projects/" + projectId + "/collections";
    }

    private List<String> indexesOfProject() {
        return db.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'documents' AND indexdef LIKE ?",
                String.class, "%'" + projectId + "'%");
    }

    /** The plan PostgreSQL makes for a page query as DocumentService writes it, with sequential scans priced out. */
    private String plan(Map<String, Object> filters, String sort, String order) {
        SqlCondition where = FilterCompiler.compile(filters);
        return explain("SELECT d.id FROM documents d WHERE d.project_id = ? AND d.collection = 'posts' AND ("
                + where.sql() + ") ORDER BY " + FieldExpressions.orderBy(sort, order) + " LIMIT 20", where);
    }

    /** The plan of a count as DocumentService.count writes it (what a db.query total costs when it is read). */
    private String countPlan(Map<String, Object> filters) {
        SqlCondition where = FilterCompiler.compile(filters);
        return explain("SELECT count(*) FROM documents d WHERE d.project_id = ? AND d.collection = 'posts' AND ("
                + where.sql() + ")", where);
    }

    private String explain(String query, SqlCondition where) {
        String sql = "EXPLAIN " + query;
        return db.execute((ConnectionCallback<String>) connection -> {
            connection.setAutoCommit(false);
            try {
                connection.createStatement().execute("SET LOCAL enable_seqscan = off");
                try (PreparedStatement explain = connection.prepareStatement(sql)) {
                    explain.setObject(1, UUID.fromString(projectId));
                    for (int i = 0; i < where.params().size(); i++) {
                        explain.setObject(i + 2, where.params().get(i));
                    }
                    StringBuilder plan = new StringBuilder();
                    try (ResultSet rows = explain.executeQuery()) {
                        while (rows.next()) {
                            plan.append(rows.getString(1)).append('\n');
                        }
                    }
                    return plan.toString();
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
    }

    private void seedPosts(int count) {
        db.update("INSERT INTO collections (project_id, name) VALUES (?::uuid, 'posts') ON CONFLICT DO NOTHING",
                projectId);
        db.update("""
                INSERT INTO documents (project_id, collection, id, data)
                SELECT ?::uuid, 'posts', 'p' || n, jsonb_build_object('views', n, 'status', 'published')
                FROM generate_series(1, ?) AS n""", projectId, count);
        db.execute("ANALYZE documents");
    }

    @Test
    void eachIndexedFieldGetsASortIndexAndANumberIndex() {
        owner.post(base, Map.of("name", "posts", "indexes", List.of("views", "meta.score"))).expect(201);

        assertThat(indexesOfProject()).containsExactlyInAnyOrder(
                DeclaredIndexes.name(UUID.fromString(projectId), "posts", "views", "sort"),
                DeclaredIndexes.name(UUID.fromString(projectId), "posts", "views", "number"),
                DeclaredIndexes.name(UUID.fromString(projectId), "posts", "meta.score", "sort"),
                DeclaredIndexes.name(UUID.fromString(projectId), "posts", "meta.score", "number"));
    }

    @Test
    void aRangeFilterOnAnIndexedFieldUsesItsNumberIndex() {
        owner.post(base, Map.of("name", "posts", "indexes", List.of("views"))).expect(201);
        seedPosts(2000);

        assertThat(plan(Map.of("views_gte", 1990), "created_at", "desc"))
                .contains(DeclaredIndexes.name(UUID.fromString(projectId), "posts", "views", "number"));
    }

    @Test
    void aCountWithARangeOnAnIndexedFieldUsesItsNumberIndexWhateverTheValuesType() {
        owner.post(base, Map.of("name", "posts", "indexes", List.of("views"))).expect(201);
        seedPosts(2000);
        String numberIndex = DeclaredIndexes.name(UUID.fromString(projectId), "posts", "views", "number");

        assertThat(countPlan(Map.of("status", "published", "views_gte", 1990))).contains(numberIndex);
        assertThat(countPlan(Map.of("status", "published", "views_gte", "1990"))).contains(numberIndex);
    }

    @Test
    void aSortOnAnIndexedFieldReadsItsSortIndexInEitherDirection() {
        owner.post(base, Map.of("name", "posts", "indexes", List.of("views"))).expect(201);
        seedPosts(2000);
        String sortIndex = DeclaredIndexes.name(UUID.fromString(projectId), "posts", "views", "sort");

        String descending = plan(Map.of(), "views", "desc");
        String ascending = plan(Map.of(), "views", "asc");

        assertThat(descending).contains("Index Scan Backward using " + sortIndex).doesNotContain("Sort Key");
        assertThat(ascending).contains("Index Scan using " + sortIndex).doesNotContain("Sort Key");
    }

    @Test
    void theDefaultNewestFirstPageIsReadOffThePageOrderIndex() {
        seedPosts(2000);

        assertThat(plan(Map.of(), null, null)).contains("documents_page_order").doesNotContain("Sort Key");
    }

    @Test
    void anIndexedFieldFiltersAndSortsAsAnUnindexedOneDoes() {
        ClientApp app = ClientApp.newProject(port);
        app.server("POST", "/collections/", Map.of("name", "indexed", "indexes", List.of("views"))).expect(201);
        for (String collection : List.of("indexed", "plain")) {
            for (int i = 1; i <= 6; i++) {
                app.create(collection, Map.of("id", "p" + i, "views", i % 2 == 0 ? i : String.valueOf(i)));
            }
            app.create(collection, Map.of("id", "none"));
        }

        for (String order : List.of("asc", "desc")) {
            List<String> indexed = new ArrayList<>();
            List<String> plain = new ArrayList<>();
            String query = "/documents?views_gte=3&sort=views&order=" + order;
            app.call("GET", "/collections/indexed" + query, null).expect(200).json()
                    .forEach(document -> indexed.add(document.get("id").asString()));
            app.call("GET", "/collections/plain" + query, null).expect(200).json()
                    .forEach(document -> plain.add(document.get("id").asString()));
            assertThat(indexed).isEqualTo(plain);
        }
        List<String> ascending = new ArrayList<>();
        app.call("GET", "/collections/indexed/documents?sort=views&order=asc", null).expect(200).json()
                .forEach(document -> ascending.add(document.get("id").asString()));
        // missing first ascending (as MongoDB), then strings before numbers (JSON order)
        assertThat(ascending).containsExactly("none", "p1", "p3", "p5", "p2", "p4", "p6");
    }

    @Test
    void indexesGoWhenTheDeclarationTheCollectionOrTheProjectGoes() {
        owner.post(base, Map.of("name", "posts", "indexes", List.of("views", "score"))).expect(201);
        owner.post(base, Map.of("name", "other", "indexes", List.of("rank"))).expect(201);
        assertThat(indexesOfProject()).hasSize(6);

        owner.patch(base + "/posts", Map.of("indexes", List.of("score"))).expect(200);
        assertThat(indexesOfProject()).hasSize(4);

        owner.delete(base + "/posts").expect(204);
        assertThat(indexesOfProject()).hasSize(2);

        owner.delete(AdminApi.API + "/projects/" + projectId).expect(204);
        assertThat(indexesOfProject()).isEmpty();
        assertThat(db.queryForObject("SELECT count(*) FROM pg_statistic_ext WHERE stxname LIKE ?", Long.class,
                DeclaredIndexes.STATISTICS_PREFIX + projectId.replace("-", "") + "%")).isZero();
    }
}
