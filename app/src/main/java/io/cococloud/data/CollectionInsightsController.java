package io.cococloud.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.appuser.ClientCaller;
import io.cococloud.error.InvalidInputException;

import static io.cococloud.data.DocumentRequests.filters;
import static io.cococloud.data.DocumentRequests.populate;
import static io.cococloud.data.DocumentRequests.view;

/**
 * Reads over a whole collection that the Flutter SDK makes (groupByField, getCollectionSchema, exportCollection):
 * {@code /query/documents/group-by}, {@code /query/schema}, {@code /export}. Each needs the collection's read
 * permission, as a listing does; filters are the language of docs/client-api.md#filters.
 */
@RestController
class CollectionInsightsController {

    /** Documents one export answers at most: the answer is built in memory. Larger ones go in parts by offset. */
    static final int MAX_EXPORT = 10_000;
    private static final Set<String> NOT_FILTERS = Set.of("field", "format", "limit", "offset", "sort", "sort_by",
            "order", "select", "populate");
    private static final List<String> COLUMNS = List.of("id", "created_at", "updated_at");

    private final DocumentService documents;
    private final CollectionInsights insights;
    private final CollectionPermissions permissions;
    private final Populator populator;
    private final JsonMapper json;

    CollectionInsightsController(DocumentService documents, CollectionInsights insights,
            CollectionPermissions permissions, Populator populator, JsonMapper json) {
        this.documents = documents;
        this.insights = insights;
        this.permissions = permissions;
        this.populator = populator;
        this.json = json;
    }

    record Schema(String collection, List<CollectionInsights.Field> fields, int sampled) {}

    /** {@code [{"value": ..., "count": n}]}, the largest groups first, at most {@code MAX_GROUPS} of them. */
    @GetMapping("/collections/{collection}/query/documents/group-by")
    List<CollectionInsights.Group> groupBy(ClientCaller caller, @PathVariable String collection,
            @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        String field = params.getFirst("field");
        if (field == null || field.isBlank()) {
            throw new InvalidInputException("field must name the data field to group by");
        }
        return insights.groupBy(caller.projectId(), collection, field, filters(params, NOT_FILTERS));
    }

    /** {@code {"fields": [{"name", "type", "nullable"}]}} over the newest documents. */
    @GetMapping("/collections/{collection}/query/schema")
    Schema schema(ClientCaller caller, @PathVariable String collection) {
        permissions.require(caller, collection, "read");
        return new Schema(collection, insights.schema(caller.projectId(), collection),
                CollectionInsights.SCHEMA_SAMPLE);
    }

    /**
     * The matching documents, oldest first, as a JSON array of documents ({@code format=json}, the default) or as CSV
     * ({@code format=csv}): {@code id, created_at, updated_at} and then each top-level data field by name, objects and
     * lists written as JSON text.
     */
    @GetMapping("/collections/{collection}/export")
    ResponseEntity<?> export(ClientCaller caller, @PathVariable String collection,
            @RequestParam MultiValueMap<String, String> params) {
        permissions.require(caller, collection, "read");
        String format = params.getFirst("format") == null ? "json" : params.getFirst("format").strip();
        if (!format.equals("json") && !format.equals("csv")) {
            throw new InvalidInputException("format must be json or csv, not '" + format + "'");
        }
        List<Document> all = read(caller, collection, params);
        ContentDisposition attachment = ContentDisposition.attachment().filename(collection + "." + format).build();
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment.toString());
        if (format.equals("json")) {
            return answer.contentType(MediaType.APPLICATION_JSON)
                    .body(all.stream().map(document -> view(collection, document)).toList());
        }
        return answer.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8)).body(csv(all));
    }

    private List<Document> read(ClientCaller caller, String collection, MultiValueMap<String, String> params) {
        var filters = filters(params, NOT_FILTERS);
        int offset = DocumentRequests.integer(params, "offset", 0);
        long matching = documents.count(caller.projectId(), collection, filters);
        if (matching - Math.max(offset, 0) > MAX_EXPORT) {
            throw new InvalidInputException(matching + " documents match; an export holds at most " + MAX_EXPORT
                    + ": narrow it with filters, or export it in parts with offset=0, " + MAX_EXPORT + ", ...");
        }
        List<Document> all = new ArrayList<>();
        for (int page = 0; page < MAX_EXPORT / DocumentQuery.MAX_LIMIT; page++) {
            DocumentQuery query = new DocumentQuery(filters, "created_at", "asc", DocumentQuery.MAX_LIMIT,
                    offset + page * DocumentQuery.MAX_LIMIT, null);
            List<Document> rows = documents.list(caller.projectId(), collection, query);
            all.addAll(rows);
            if (rows.size() < DocumentQuery.MAX_LIMIT) {
                break;
            }
        }
        return populator.populateDocuments(caller.projectId(), collection, all, populate(params), caller.reader());
    }

    private String csv(List<Document> all) {
        // by name: stored documents do not keep the order their fields were written in
        TreeSet<String> fields = new TreeSet<>();
        all.forEach(document -> fields.addAll(document.data().keySet()));
        fields.removeAll(COLUMNS);
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(fields);
        StringBuilder out = new StringBuilder();
        // RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled; records end in CRLF
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                .get())) {
            for (Document document : all) {
                List<String> cells = new ArrayList<>(List.of(document.id(), document.createdAt().toString(),
                        document.updatedAt().toString()));
                for (String field : fields) {
                    Object value = document.data().get(field);
                    cells.add(value == null ? "" : value instanceof Map<?, ?> || value instanceof List<?>
                            ? json.writeValueAsString(value) : String.valueOf(value));
                }
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }
}
