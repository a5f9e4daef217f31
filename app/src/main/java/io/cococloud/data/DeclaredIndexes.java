package io.cococloud.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.cococloud.project.ProjectDeleted;
import io.cococloud.query.FieldExpressions;

/**
 * The btree indexes behind a collection's declared indexed fields. Each field gets two partial indexes limited
 * to its project and collection, on exactly the expressions that {@link FilterCompiler} and the sort write:
 * <ul>
 * <li>{@code ((data #> '{views}') NULLS FIRST, id)}: sorts on the field in either direction, page by page;
 * <li>the field read as a number (a JSON number or a numeric string): {@code views_gte=100} and the like.
 * </ul>
 * Partial indexes have no statistics the planner will use, so each field also gets expression statistics on the
 * number (over the whole table: they cost nothing on writes); without them a range looks like a third of the
 * collection and PostgreSQL would rather walk the newest-first order than the index.
 *
 * <p>Equality needs neither: containment is served by the GIN index on all data. Comparisons of ISO date strings
 * are not indexed, because PostgreSQL's text-to-timestamp cast depends on session settings and so cannot be in
 * an index; sort on such a field still uses the first index.
 *
 * <p>Indexes are built {@code CONCURRENTLY}, so writes to the collection go on while a large one builds; that
 * cannot happen inside a transaction, so these statements run on a connection of their own in auto-commit.
 */
@Component
class DeclaredIndexes {

    private static final Logger log = LoggerFactory.getLogger(DeclaredIndexes.class);
    /** Every declared index's name starts so; the rest is a hash of project, collection, field and kind. */
    static final String PREFIX = "documents_declared_";
    /** Statistics are found by project when it is deleted, so their names carry the project's id. */
    static final String STATISTICS_PREFIX = "docstats_";

    private final DataSource dataSource;

    DeclaredIndexes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Builds the indexes of these fields (those that exist already are kept). */
    void create(UUID projectId, String collection, List<String> fields) {
        List<String> statements = new ArrayList<>();
        for (String field : fields) {
            FieldExpressions.IndexExpressions index = FieldExpressions.index(field);
            String where = " WHERE project_id = '" + projectId + "' AND collection = '" + collection + "'";
            String sortKey = index.sortKey();
            String number = index.number();
            String sortIndex = name(projectId, collection, field, "sort");
            String numberIndex = name(projectId, collection, field, "number");
            // A build that failed half-way leaves an invalid index under the name; IF NOT EXISTS would keep it.
            statements.add(dropIfInvalid(sortIndex));
            statements.add("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + sortIndex + " ON documents (" + sortKey
                    + " NULLS FIRST, id)" + where);
            statements.add(dropIfInvalid(numberIndex));
            statements.add("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + numberIndex + " ON documents ((" + number
                    + "))" + where);
            statements.add("CREATE STATISTICS IF NOT EXISTS " + statisticsName(projectId, collection, field)
                    + " ON (" + number + ") FROM documents");
        }
        if (!statements.isEmpty()) {
            // ANALYZE reads a fixed-size sample, so this costs well under a second even on a large table
            statements.add("ANALYZE documents");
        }
        run(statements);
    }

    /** Drops the indexes of these fields. */
    void drop(UUID projectId, String collection, List<String> fields) {
        List<String> statements = new ArrayList<>();
        for (String field : fields) {
            for (String kind : List.of("sort", "number")) {
                statements.add("DROP INDEX CONCURRENTLY IF EXISTS " + name(projectId, collection, field, kind));
            }
            statements.add("DROP STATISTICS IF EXISTS " + statisticsName(projectId, collection, field));
        }
        run(statements);
    }

    /** A deleted project's rows are gone; its indexes, which only PostgreSQL's catalogue names, go too. */
    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        List<String> statements = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                var query = connection.prepareStatement("""
                        SELECT 'DROP INDEX CONCURRENTLY IF EXISTS ' || indexname FROM pg_indexes
                        WHERE schemaname = current_schema() AND tablename = 'documents'
                          AND indexname LIKE 'documents\\_declared\\_%' AND indexdef LIKE ?
                        UNION ALL
                        SELECT 'DROP STATISTICS IF EXISTS ' || stxname FROM pg_statistic_ext
                        WHERE stxnamespace = current_schema()::regnamespace AND stxname LIKE ?""")) {
            query.setString(1, "%'" + event.projectId() + "'%");
            query.setString(2, STATISTICS_PREFIX + hex(event.projectId()) + "\\_%");
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    statements.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            log.warn("Could not list the indexes of deleted project {}: {}", event.projectId(), e.getMessage());
            return;
        }
        run(statements);
    }

    /** Names are hashes, so they are short, safe to write into SQL and the same for the same declaration. */
    static String name(UUID projectId, String collection, String field, String kind) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (projectId + "/" + collection + "/" + field + "/" + kind).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String statisticsName(UUID projectId, String collection, String field) {
        return STATISTICS_PREFIX + hex(projectId) + "_" + name(projectId, collection, field, "stats").substring(
                PREFIX.length(), PREFIX.length() + 16);
    }

    private static String hex(UUID projectId) {
        return projectId.toString().replace("-", "");
    }

    private static String dropIfInvalid(String index) {
        return "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = '" + index + "' AND NOT i.indisvalid) THEN EXECUTE 'DROP INDEX " + index
                + "'; END IF; END $$";
    }

    private void run(List<String> statements) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Could not change the collection's indexes: "
                    + e.getMessage(), e);
        }
    }
}
