package io.cococloud.data;

import java.util.List;

/** One page of a query, with the total number of matches: {@code {data, total, limit, offset, has_more}}. */
public record DocumentPage(List<Document> data, long total, int limit, int offset) {

    public boolean hasMore() {
        return offset + data.size() < total;
    }
}
