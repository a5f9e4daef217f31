package io.cococloud.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
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
 * hint, not data: forgetting costs one window.
 */
@Component
class CreationOrderWindow {

    static final int ROWS_PER_PAGE_ROW = 20;
    static final int MAX_ROWS = 1_000;

    private record Query(UUID projectId, String collection, SqlCondition where, String orderBy, long needed) {
    }

    private final JdbcClient jdbc;
    /** Weighed by the length of the filter's SQL and values, which a request chooses: ~5 MB of text at most. */
    private final Cache<Query, Boolean> misses = Caffeine.newBuilder()
            .maximumWeight(5_000_000)
            .<Query, Boolean>weigher((query, missed) -> query.where().sql().length()
                    + query.where().params().toString().length())
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    CreationOrderWindow(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
            return Optional.of(found);
        }
        misses.put(query, Boolean.TRUE);
        return Optional.empty();
    }
}
