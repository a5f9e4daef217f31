package io.cococloud.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.query.FieldExpressions;
import io.cococloud.query.SqlCondition;

/**
 * A filtered page in creation order, looked for first among the collection's newest (or oldest) documents only:
 * {@value #ROWS_PER_PAGE_ROW} for each row the page needs, read straight off the page-order index. When they hold a
 * full page, that is the page (any match outside them comes after all of them); otherwise the planner's plan reads
 * it.
 *
 * <p>Why: the planner's statistics describe the whole documents table, which every collection of every project
 * shares, and it multiplies the selectivities of the collection and of each filter as if they were unrelated. When
 * another collection grows (drafts written beside posts, or another tenant's data), a filter that matches half of
 * this collection looks rare, and the planner reads and sorts every match instead of stopping at the page: a page of
 * 10 among 2,295 matches went from 0.7 to 8–11 ms, and the REST page from ~1,000 to ~350 requests a second
 * (bench/README.md, "At 5,000 posts the page ran in two modes"). Within the window, the cost is bounded whatever
 * the statistics say.
 *
 * <p>A rare filter pays the window (at most {@value #MAX_ROWS} rows) before the planner's plan, so a query whose
 * window missed is remembered on this node for a minute and goes straight to the planner meanwhile. The memory is a
 * hint, not data: forgetting costs one window. Caffeine admits by frequency, so a flood of one-off filters from one
 * project does not push out the queries other projects repeat.
 *
 * <p>{@value #WINDOWS} (tags {@code project}, {@code outcome}: found, missed, remembered) counts what each window
 * did: a project whose pages mostly miss is one whose filters are rare, and the planner's plan is what serves it.
 */
@Component
class CreationOrderWindow {

    static final int ROWS_PER_PAGE_ROW = 20;
    static final int MAX_ROWS = 1_000;
    static final String WINDOWS = "cococloud.documents.page.windows";

    private record Query(UUID projectId, String collection, SqlCondition where, String orderBy, long needed) {
    }

    private final JdbcClient jdbc;
    private final MeterRegistry registry;
    /** Weighed by the length of the filter's SQL and values, which a request chooses: ~5 MB of text at most. */
    private final Cache<Query, Boolean> misses = Caffeine.newBuilder()
            .maximumWeight(5_000_000)
            .<Query, Boolean>weigher((query, missed) -> query.where().sql().length()
                    + query.where().params().toString().length())
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    CreationOrderWindow(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    /**
     * The page, if the window holds it; empty when the planner must read it (no filter, another sort, a page too deep
     * for a window, or too few matches in it).
     */
    Optional<List<Document>> page(UUID projectId, String collection, SqlCondition where, String sort, String orderBy,
            int offset, int rows, RowMapper<Document> mapper) {
        long needed = (long) offset + rows;
        long size = needed * ROWS_PER_PAGE_ROW;
        if (where.equals(SqlCondition.TRUE) || !FieldExpressions.isCreationOrder(sort) || size > MAX_ROWS) {
            return Optional.empty();
        }
        Query query = new Query(projectId, collection, where, orderBy, needed);
        if (misses.getIfPresent(query) != null) {
            count(projectId, "remembered");
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>(List.of(projectId, collection, size));
        params.addAll(where.params());
        params.add(rows);
        params.add(offset);
        // The LIMIT inside keeps the filter out of the inner scan, so that the planner cannot read it any other way.
        List<Document> found = jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at FROM"
                + " (SELECT * FROM documents d WHERE d.project_id = ? AND d.collection = ? ORDER BY " + orderBy
                + " LIMIT ?) d WHERE (" + where.sql() + ") ORDER BY " + orderBy + " LIMIT ? OFFSET ?")
                .params(params).query(mapper).list();
        if (found.size() == rows) {
            count(projectId, "found");
            return Optional.of(found);
        }
        count(projectId, "missed");
        misses.put(query, Boolean.TRUE);
        return Optional.empty();
    }

    private void count(UUID projectId, String outcome) {
        Counter.builder(WINDOWS).tag("project", projectId.toString()).tag("outcome", outcome)
                .description("Filtered pages in creation order looked for in a window of the newest documents: found"
                        + " there, missed (read by the planner's plan), or remembered as a miss and not looked for")
                .register(registry).increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        misses.asMap().keySet().removeIf(query -> query.projectId().equals(event.projectId()));
        registry.find(WINDOWS).tag("project", event.projectId().toString()).meters().forEach(registry::remove);
    }
}
