package io.cococloud.data;

import java.util.List;

/**
 * One page of a query: {@code {data, total, limit, offset, has_more}}.
 *
 * @param total   the number of matches, or null when it was not counted: a page knows it without counting only
 *                when it is the last one (see {@link DocumentService#page}); counting may visit every match
 * @param hasMore whether a match follows this page, known from one extra row fetched after it, never from a count
 */
public record DocumentPage(List<Document> data, Long total, int limit, int offset, boolean hasMore) {

    /** The same page with its total counted. */
    DocumentPage withTotal(long counted) {
        return new DocumentPage(data, counted, limit, offset, hasMore);
    }
}
