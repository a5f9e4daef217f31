package io.cococloud.data;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.util.MultiValueMap;

import io.cococloud.error.InvalidInputException;
import io.cococloud.error.NotFoundException;

/**
 * How document requests read, shared by the client API and the admin API: query strings into queries, bodies
 * into fields, documents into their JSON view.
 */
final class DocumentRequests {

    static final int DEFAULT_LIMIT = 100;
    /**
     * Query parameters that are not filters. The SDK sends limit/offset even to count and aggregate. {@code sort_by}
     * is the Flutter SDK's name for {@code sort}.
     */
    static final Set<String> PAGING = Set.of("limit", "offset", "sort", "sort_by", "order", "select", "populate");

    private DocumentRequests() {
    }

    /** A page query: filters, sort, order, limit, offset and select from a query string. */
    static DocumentQuery query(MultiValueMap<String, String> params) {
        String select = params.getFirst("select");
        return new DocumentQuery(filters(params, PAGING), sort(params), params.getFirst("order"),
                integer(params, "limit", DEFAULT_LIMIT), integer(params, "offset", 0),
                select == null || select.isBlank() ? null
                        : Arrays.stream(select.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** {@code sort} (the JS SDK) or {@code sort_by} (the Flutter SDK); both at once must agree. */
    static String sort(MultiValueMap<String, String> params) {
        String sort = params.getFirst("sort");
        String sortBy = params.getFirst("sort_by");
        if (sort != null && sortBy != null && !sort.equals(sortBy)) {
            throw new InvalidInputException("sort and sort_by name the same thing; send one of them");
        }
        return sort != null ? sort : sortBy;
    }

    /**
     * The filters of a query string: every parameter but the given ones. A repeated key keeps all its values:
     * {@code [or]status=draft&[or]status=review} is one OR group of both.
     */
    static List<Map.Entry<String, Object>> filters(MultiValueMap<String, String> params, Set<String> except) {
        List<Map.Entry<String, Object>> filters = new ArrayList<>();
        params.forEach((key, values) -> {
            if (!except.contains(key)) {
                values.forEach(value -> filters.add(new AbstractMap.SimpleImmutableEntry<>(key, value)));
            }
        });
        return filters;
    }

    /** populate=author&populate=category, or populate=author,category. */
    static List<String> populate(MultiValueMap<String, String> params) {
        List<String> entries = params.getOrDefault("populate", List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        for (String entry : entries) {
            if (!entry.matches("[A-Za-z_][A-Za-z0-9_:.-]{0,200}")) {
                throw new InvalidInputException("populate entry '" + entry + "' must be field names joined by dots");
            }
        }
        return entries;
    }

    static int integer(MultiValueMap<String, String> params, String name, int otherwise) {
        String value = params.getFirst(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /** A document as the client API shows it. */
    static DocumentView view(String collection, Document document) {
        return DocumentView.of(collection, document);
    }

    /** The {"data": {...}} of a single-document write. */
    static Map<String, Object> data(Map<String, Object> body) {
        if (!body.containsKey("data")) {
            throw new InvalidInputException("Send the document's fields as {\"data\": {...}}");
        }
        return object(body.get("data"), "data");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String name) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(name + " must be a JSON object of fields");
        }
        return (Map<String, Object>) map;
    }

    static NotFoundException notFound(String collection, String id) {
        return NotFoundException.of("Document " + id + " of " + collection);
    }
}
