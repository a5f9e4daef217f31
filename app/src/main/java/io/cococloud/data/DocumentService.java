package io.cococloud.data;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import io.cococloud.project.ProjectDeleted;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.FieldExpressions;
import io.cococloud.query.FieldPath;
import io.cococloud.query.SqlCondition;
import io.cococloud.query.FilterException;

/**
 * Collections and documents of a project: the one data service behind the Python {@code db}
 * object, the client REST API ({@code /collections}) and the console. Every statement is scoped by project;
 * filters compile to SQL with bound parameters only (see {@link FilterCompiler}).
 */
@Service
public class DocumentService {

    static final Pattern COLLECTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
    /** Fields the store keeps as columns; in a write's data they are ignored (id: see create). */
    static final Set<String> RESERVED = Set.of("id", "created_at", "updated_at");
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    static final String COUNTS = "cococloud.documents.counts";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final MeterRegistry registry;
    private final ObjectProvider<DocumentHooks> hookProvider;
    private final TransactionTemplate transactions;
    private final CreationOrderWindow window;
    private volatile DocumentHooks hooks;

    /** The function whose {@code db} call is writing on this thread, if any (set by {@link DatabaseCalls}). */
    static final ThreadLocal<UUID> WRITER = new ThreadLocal<>();

    DocumentService(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events, MeterRegistry registry,
            ObjectProvider<DocumentHooks> hooks, PlatformTransactionManager transactionManager,
            CreationOrderWindow window) {
        this.jdbc = jdbc;
        this.window = window;
        this.json = json;
        this.events = events;
        this.registry = registry;
        this.hookProvider = hooks;
        // Only for writes that hooks watch (the outbox row commits with the write). The application's manager, the
        // one @Transactional uses, so a batch (createAll, updateAll) stays one transaction.
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Looked up on first use: the hook module runs functions, whose {@code db} writes come back here, so the two
     * cannot be made one before the other.
     */
    private DocumentHooks hooks() {
        DocumentHooks found = hooks;
        if (found == null) {
            found = DocumentHooks.all(hookProvider.orderedStream().toList());
            hooks = found;
        }
        return found;
    }

    private boolean watched(UUID projectId, String collection) {
        return hooks().watches(projectId, collection);
    }

    private DocumentEvent event(DocumentEvent.Type type, UUID projectId, String collection, String id,
            Map<String, Object> data, Map<String, Object> oldData) {
        return new DocumentEvent(type, projectId, collection, id, data, oldData, java.time.Instant.now(),
                WRITER.get());
    }

    /**
     * A count visits every match, where a page stops after limit + 1 rows: how often each project has one run is
     * worth seeing (and a project's own series is what a test can watch while other projects work).
     */
    private void counted(UUID projectId) {
        Counter.builder(COUNTS).tag("project", projectId.toString())
                .description("Counts of matching documents (db.count_documents, a db.query total that was read,"
                        + " the client API's count, the console's totals)")
                .register(registry).increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void projectDeleted(ProjectDeleted event) {
        registry.find(COUNTS).tag("project", event.projectId().toString()).meters().forEach(registry::remove);
    }

    /** A page of documents with the total number of matches (the admin API, whose console shows it). */
    public DocumentPage query(UUID projectId, String collection, DocumentQuery query) {
        DocumentPage page = page(projectId, collection, query);
        return page.total() != null ? page : page.withTotal(count(projectId, collection, query.filters()));
    }

    /**
     * A page of documents, and the total only when the page itself tells it ({@code db.query}, whose total is counted
     * in Python when it is read). Counting every match can cost far more than the page: a page read off an index
     * stops after {@code limit + 1} rows, a count visits all of them. The extra row answers {@code has_more}; a last
     * page (no extra row) that is not past the end knows the total: {@code offset + its size}.
     */
    public DocumentPage page(UUID projectId, String collection, DocumentQuery query) {
        List<Document> rows = select(projectId, collection, query, query.limit() + 1);
        boolean hasMore = rows.size() > query.limit();
        List<Document> documents = hasMore ? rows.subList(0, query.limit()) : rows;
        // An empty page past the end (offset > 0) tells nothing: the matches may be fewer than the offset.
        Long total = !hasMore && (query.offset() == 0 || !documents.isEmpty())
                ? Long.valueOf(query.offset() + documents.size()) : null;
        return new DocumentPage(documents, total, query.limit(), query.offset(), hasMore);
    }

    /**
     * A page of documents without the total (the client API's list answers an array).
     */
    public List<Document> list(UUID projectId, String collection, DocumentQuery query) {
        return select(projectId, collection, query, query.limit());
    }

    private List<Document> select(UUID projectId, String collection, DocumentQuery query, int rows) {
        requireCollection(collection);
        if (query.limit() < 1 || query.limit() > DocumentQuery.MAX_LIMIT) {
            throw new FilterException("limit must be between 1 and " + DocumentQuery.MAX_LIMIT + ", not "
                    + query.limit());
        }
        if (query.offset() < 0) {
            throw new FilterException("offset must not be negative, not " + query.offset());
        }
        SqlCondition where = FilterCompiler.compile(query.filters());
        String orderBy = FieldExpressions.orderBy(query.sort(), query.order());
        List<Document> documents = window
                .page(projectId, collection, where, query.sort(), orderBy, query.offset(), rows, this::document)
                .orElseGet(() -> planned(projectId, collection, query, where, orderBy, rows));
        if (query.select() != null && !query.select().isEmpty()) {
            documents = documents.stream().map(d -> selectFields(d, query.select())).toList();
        }
        return documents;
    }

    /** The page as PostgreSQL's planner chooses to read it. */
    private List<Document> planned(UUID projectId, String collection, DocumentQuery query, SqlCondition where,
            String orderBy, int rows) {
        List<Object> params = new ArrayList<>(List.of(projectId, collection));
        params.addAll(where.params());
        params.add(rows);
        params.add(query.offset());
        return jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at"
                + " FROM documents d WHERE d.project_id = ? AND d.collection = ? AND (" + where.sql() + ")"
                + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?").params(params)
                .query(this::document).list();
    }

    public Optional<Document> findOne(UUID projectId, String collection, Map<String, Object> filters) {
        return list(projectId, collection, new DocumentQuery(filters, null, null, 1, 0, null)).stream().findFirst();
    }

    public long count(UUID projectId, String collection, Collection<? extends Map.Entry<String, ?>> filters) {
        requireCollection(collection);
        SqlCondition where = FilterCompiler.compile(filters);
        List<Object> params = new ArrayList<>(List.of(projectId, collection));
        params.addAll(where.params());
        counted(projectId);
        Long count = jdbc.sql("SELECT count(*) FROM documents d WHERE d.project_id = ? AND d.collection = ?"
                + " AND (" + where.sql() + ")").params(params).query(Long.class).single();
        return count == null ? 0 : count;
    }

    /**
     * Stores a document; an {@code id} in the data is its id (unique in the collection), else one is made. One
     * statement in auto-commit, so one round trip: the collection comes into being in the same statement (its
     * row is inserted by the CTE, and the foreign key is checked at the end of the statement, when that row is
     * there). Nothing is published, so no transaction needs to carry an event; inside a caller's transaction
     * (createAll) it joins that one. A collection that hooks watch takes a transaction instead: the hooks' outbox
     * row commits with the document (docs/hooks.md).
     */
    public Document create(UUID projectId, String collection, Map<String, Object> data, String ownerId) {
        requireCollection(collection);
        Object given = data.get("id");
        String id = given == null ? UUID.randomUUID().toString() : String.valueOf(given);
        if (!DOCUMENT_ID.matcher(id).matches()) {
            throw new FilterException("document id '" + id + "' must be 1 to 128 letters, digits or _ . : @ -");
        }
        if (watched(projectId, collection)) {
            return createWatched(projectId, collection, id, data, ownerId);
        }
        return insert(projectId, collection, id, withoutReserved(data), ownerId);
    }

    /** The before-hooks run first, outside the transaction (nothing is locked while they run). */
    private Document createWatched(UUID projectId, String collection, String id, Map<String, Object> data,
            String ownerId) {
        Map<String, Object> stored = withoutReserved(hooks().before(event(DocumentEvent.Type.CREATE, projectId,
                collection, id, withoutReserved(data), null)));
        return transactions.execute(status -> {
            Document created = insert(projectId, collection, id, stored, ownerId);
            hooks().after(event(DocumentEvent.Type.CREATE, projectId, collection, id, created.data(), null));
            return created;
        });
    }

    private Document insert(UUID projectId, String collection, String id, Map<String, Object> data,
            String ownerId) {
        String body = toJson(data);
        try {
            return jdbc.sql("""
                    WITH collection AS (
                        INSERT INTO collections (project_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING)
                    INSERT INTO documents (project_id, collection, id, data, owner_id) VALUES (?, ?, ?, ?::jsonb, ?)
                    RETURNING id, data, owner_id, created_at, updated_at""")
                    .params(projectId, collection, projectId, collection, id, body, ownerId).query(this::document)
                    .single();
        } catch (DuplicateKeyException e) {
            throw new FilterException("a document with id '" + id + "' already exists in " + collection);
        }
    }

    /** Shallow merge of {@code data} into the stored fields; empty when there is no such document. */
    public Optional<Document> update(UUID projectId, String collection, String id, Map<String, Object> data) {
        requireCollection(collection);
        if (watched(projectId, collection)) {
            return writeWatched(projectId, collection, id, data, true);
        }
        String patch = toJson(withoutReserved(data));
        return jdbc.sql("""
                UPDATE documents SET data = data || ?::jsonb, updated_at = now()
                WHERE project_id = ? AND collection = ? AND id = ?
                RETURNING id, data, owner_id, created_at, updated_at""")
                .params(patch, projectId, collection, id).query(this::document).optional();
    }

    public boolean delete(UUID projectId, String collection, String id) {
        requireCollection(collection);
        if (watched(projectId, collection)) {
            return !deleteWatched(projectId, collection, List.of(id)).isEmpty();
        }
        boolean deleted = jdbc.sql("DELETE FROM documents WHERE project_id = ? AND collection = ? AND id = ?")
                .params(projectId, collection, id).update() > 0;
        if (deleted) {
            events.publishEvent(new DocumentsDeleted(projectId, collection, List.of(id)));
        }
        return deleted;
    }

    /**
     * An update (merge) or replacement that hooks watch: in one transaction the document is locked and read, the
     * new fields computed, the before-hooks run (they may change or refuse them; the row stays locked, so no other
     * write slips in between what they saw and what is stored), the row written and the event recorded.
     */
    private Optional<Document> writeWatched(UUID projectId, String collection, String id, Map<String, Object> data,
            boolean merge) {
        return transactions.execute(status -> {
            Optional<Document> old = jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at"
                    + " FROM documents d WHERE d.project_id = ? AND d.collection = ? AND d.id = ? FOR UPDATE")
                    .params(projectId, collection, id).query(this::document).optional();
            if (old.isEmpty()) {
                return Optional.<Document>empty();
            }
            Map<String, Object> fields = new LinkedHashMap<>(merge ? old.get().data() : Map.of());
            fields.putAll(withoutReserved(data));
            Map<String, Object> stored = withoutReserved(hooks().before(event(DocumentEvent.Type.UPDATE, projectId,
                    collection, id, fields, old.get().data())));
            Document written = jdbc.sql("""
                    UPDATE documents SET data = ?::jsonb, updated_at = now()
                    WHERE project_id = ? AND collection = ? AND id = ?
                    RETURNING id, data, owner_id, created_at, updated_at""")
                    .params(toJson(stored), projectId, collection, id).query(this::document).single();
            hooks().after(event(DocumentEvent.Type.UPDATE, projectId, collection, id, written.data(),
                    old.get().data()));
            return Optional.of(written);
        });
    }

    /**
     * Deletes that hooks watch. In one transaction the documents are locked (in id order, so two batches cannot
     * deadlock) and read, the before-hooks see each one's fields and may refuse (one refusal and nothing is
     * deleted: the exception rolls the transaction back), then the rows the hooks saw are deleted and each event is
     * recorded. The rows stay locked while the hooks run, so no write slips in between what they saw and what goes.
     */
    private List<String> deleteWatched(UUID projectId, String collection, List<String> ids) {
        List<Document> deleted = transactions.execute(status -> {
            List<Document> locked = jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at"
                    + " FROM documents d WHERE d.project_id = ? AND d.collection = ? AND d.id = ANY (?)"
                    + " ORDER BY d.id FOR UPDATE")
                    .params(projectId, collection, ids.toArray(String[]::new)).query(this::document).list();
            if (locked.isEmpty()) {
                return List.<Document>of();
            }
            // a before-hook's answer for a delete is only a verdict: there are no fields to store
            locked.forEach(d -> hooks().before(event(DocumentEvent.Type.DELETE, projectId, collection, d.id(),
                    d.data(), d.data())));
            List<Document> gone = jdbc.sql("DELETE FROM documents WHERE project_id = ? AND collection = ?"
                    + " AND id = ANY (?) RETURNING id, data, owner_id, created_at, updated_at")
                    .params(projectId, collection, locked.stream().map(Document::id).toArray(String[]::new))
                    .query(this::document).list();
            gone.forEach(d -> hooks().after(event(DocumentEvent.Type.DELETE, projectId, collection, d.id(),
                    d.data(), d.data())));
            if (!gone.isEmpty()) {
                events.publishEvent(new DocumentsDeleted(projectId, collection, gone.stream().map(Document::id)
                        .toList()));
            }
            return gone;
        });
        return deleted == null ? List.of() : deleted.stream().map(Document::id).toList();
    }

    /** Documents whose given fields (or any text value) contain the term, case-insensitively. */
    public List<Document> search(UUID projectId, String collection, String term, List<String> fields, Integer limit) {
        requireCollection(collection);
        int max = limit == null ? 10 : limit;
        if (max < 1 || max > DocumentQuery.MAX_LIMIT) {
            throw new FilterException("limit must be between 1 and " + DocumentQuery.MAX_LIMIT);
        }
        String pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<Object> params = new ArrayList<>(List.of(projectId, collection));
        StringBuilder match = new StringBuilder();
        if (fields == null || fields.isEmpty()) {
            match.append("d.data::text ILIKE ?");
            params.add(pattern);
        } else {
            for (String field : fields) {
                match.append(match.isEmpty() ? "" : " OR ").append("d.data #>> ?::text[] ILIKE ?");
                params.add(FieldPath.parse(field).segments().toArray(String[]::new));
                params.add(pattern);
            }
        }
        params.add(max);
        return jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at FROM documents d"
                + " WHERE d.project_id = ? AND d.collection = ? AND (" + match + ") ORDER BY d.created_at DESC LIMIT ?")
                .params(params).query(this::document).list();
    }

    // ------------------------------------------------------------------ for the client REST API (/collections)

    /** One document by id; empty when there is none. */
    public Optional<Document> get(UUID projectId, String collection, String id) {
        requireCollection(collection);
        return jdbc.sql("SELECT d.id, d.data, d.owner_id, d.created_at, d.updated_at FROM documents d"
                + " WHERE d.project_id = ? AND d.collection = ? AND d.id = ?").params(projectId, collection, id)
                .query(this::document).optional();
    }

    /** Replaces the stored fields with {@code data}; empty when there is no such document. */
    public Optional<Document> replace(UUID projectId, String collection, String id, Map<String, Object> data) {
        requireCollection(collection);
        if (watched(projectId, collection)) {
            return writeWatched(projectId, collection, id, data, false);
        }
        String body = toJson(withoutReserved(data));
        return jdbc.sql("""
                UPDATE documents SET data = ?::jsonb, updated_at = now()
                WHERE project_id = ? AND collection = ? AND id = ?
                RETURNING id, data, owner_id, created_at, updated_at""")
                .params(body, projectId, collection, id).query(this::document).optional();
    }

    /** Stores all the documents or, when one of them is refused, none. */
    @Transactional
    public List<Document> createAll(UUID projectId, String collection, List<Map<String, Object>> data,
            String ownerId) {
        return data.stream().map(one -> create(projectId, collection, one, ownerId)).toList();
    }

    /** Shallow-merges each patch into its document, in one transaction; ids with no document are skipped. */
    @Transactional
    public List<Document> updateAll(UUID projectId, String collection, Map<String, Map<String, Object>> patches) {
        List<Document> updated = new ArrayList<>();
        patches.forEach((id, patch) -> update(projectId, collection, id, patch).ifPresent(updated::add));
        return updated;
    }

    /** Which of these documents the app user created, for collections where only the creator may change one. */
    public List<String> ownedBy(UUID projectId, String collection, List<String> ids, String ownerId) {
        requireCollection(collection);
        return jdbc.sql("SELECT id FROM documents WHERE project_id = ? AND collection = ? AND id = ANY (?)"
                + " AND owner_id = ?").params(projectId, collection, ids.toArray(String[]::new), ownerId)
                .query(String.class).list();
    }

    /** Deletes the documents with these ids; returns how many there were. */
    public int deleteAll(UUID projectId, String collection, List<String> ids) {
        return deleteEach(projectId, collection, ids).size();
    }

    /** Deletes the documents with these ids; returns the ids of those there were. */
    public List<String> deleteEach(UUID projectId, String collection, List<String> ids) {
        requireCollection(collection);
        if (watched(projectId, collection)) {
            return deleteWatched(projectId, collection, ids);
        }
        List<String> deleted = jdbc.sql("DELETE FROM documents WHERE project_id = ? AND collection = ?"
                + " AND id = ANY (?) RETURNING id").params(projectId, collection, ids.toArray(String[]::new))
                .query(String.class).list();
        if (!deleted.isEmpty()) {
            events.publishEvent(new DocumentsDeleted(projectId, collection, deleted));
        }
        return deleted;
    }

    /**
     * count, sum, avg, min or max of a data field over the documents matching the filters. Only values stored
     * as JSON numbers take part (count counts them too); sum and count of nothing are 0, the others null.
     */
    public BigDecimal aggregate(UUID projectId, String collection, String field, String operation,
            Collection<? extends Map.Entry<String, ?>> filters) {
        requireCollection(collection);
        String aggregate = FieldExpressions.aggregate(field, operation);
        SqlCondition where = FilterCompiler.compile(filters);
        List<Object> params = new ArrayList<>(List.of(projectId, collection));
        params.addAll(where.params());
        // one row always; its value is SQL NULL for avg, min and max of nothing
        BigDecimal result = jdbc.sql("SELECT " + aggregate + " FROM documents d"
                + " WHERE d.project_id = ? AND d.collection = ? AND (" + where.sql() + ")").params(params)
                .query(BigDecimal.class).list().getFirst();
        boolean ofNothingIsZero = operation.equalsIgnoreCase("sum") || operation.equalsIgnoreCase("count");
        return result == null && ofNothingIsZero ? BigDecimal.ZERO : result;
    }

    private static Document selectFields(Document document, List<String> select) {
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String field : select) {
            List<String> path = FieldPath.parse(field).segments();
            Object value = document.data();
            for (String segment : path) {
                value = value instanceof Map<?, ?> map ? map.get(segment) : null;
            }
            if (value != null) {
                put(picked, path, value);
            }
        }
        return new Document(document.id(), picked, document.ownerId(), document.createdAt(), document.updatedAt());
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> target, List<String> path, Object value) {
        Map<String, Object> node = target;
        for (String segment : path.subList(0, path.size() - 1)) {
            node = (Map<String, Object>) node.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
        }
        node.put(path.getLast(), value);
    }

    private static Map<String, Object> withoutReserved(Map<String, Object> data) {
        Map<String, Object> clean = new LinkedHashMap<>(data);
        clean.keySet().removeAll(RESERVED);
        return clean;
    }

    private String toJson(Map<String, Object> data) {
        String text = json.writeValueAsString(data);
        if (text.length() > MAX_DOCUMENT_BYTES) {
            throw new FilterException("the document is " + text.length() + " characters of JSON; the limit is "
                    + MAX_DOCUMENT_BYTES);
        }
        return text;
    }

    /** Throws a 400 naming the rule unless {@code collection} is a valid collection name. */
    public static void requireCollection(String collection) {
        if (collection == null || !COLLECTION.matcher(collection).matches()) {
            throw new FilterException("collection name '" + collection + "' must be 1 to 64 letters, digits, _ or -,"
                    + " starting with a letter or _");
        }
    }

    private Document document(ResultSet rs, int row) throws SQLException {
        return new Document(rs.getString("id"), json.readValue(rs.getString("data"), MAP), rs.getString("owner_id"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
