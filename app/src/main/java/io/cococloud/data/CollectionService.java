package io.cococloud.data;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import io.cococloud.error.ConflictException;
import io.cococloud.query.FieldPath;
import io.cococloud.query.FilterException;

/**
 * A project's collections as things of their own: their permissions, declared relations and indexed fields.
 * Documents live in {@link DocumentService}; a collection also comes into being on its first document.
 */
@Service
public class CollectionService {

    /** Each indexed field costs two indexes that every write to the collection maintains. */
    static final int MAX_INDEXES = 16;
    static final int MAX_RELATIONS = 64;
    static final String APP_USERS = "appuser";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<Map<String, Map<String, String>>> RELATIONS = new TypeReference<>() {};
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private static final String COLUMNS = "c.name, c.permissions::text AS permissions, c.relations::text AS relations,"
            + " c.indexes::text AS indexes, c.created_at, c.updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final DeclaredIndexes indexes;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    CollectionService(JdbcClient jdbc, JsonMapper json, DeclaredIndexes indexes, ApplicationEventPublisher events,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.indexes = indexes;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** The project's collections by name, each with its number of documents. */
    public List<CollectionSettings> list(UUID projectId) {
        return jdbc.sql("SELECT " + COLUMNS + ", (SELECT count(*) FROM documents d WHERE d.project_id = c.project_id"
                + " AND d.collection = c.name) AS documents FROM collections c WHERE c.project_id = ? ORDER BY c.name")
                .params(projectId).query((rs, row) -> settings(rs, rs.getLong("documents"))).list();
    }

    /** One collection with its number of documents. */
    public Optional<CollectionSettings> find(UUID projectId, String name) {
        DocumentService.requireCollection(name);
        return jdbc.sql("SELECT " + COLUMNS + ", (SELECT count(*) FROM documents d WHERE d.project_id = c.project_id"
                + " AND d.collection = c.name) AS documents FROM collections c WHERE c.project_id = ? AND c.name = ?")
                .params(projectId, name).query((rs, row) -> settings(rs, rs.getLong("documents"))).optional();
    }

    /**
     * Makes a collection; empty when one of that name exists already. The values are checked first (see
     * {@link #permissions(Object)}, {@link #relations(Object)}, {@link #indexes(Object)}).
     */
    public Optional<CollectionSettings> create(UUID projectId, String name, Object permissions, Object relations,
            Object indexed) {
        checkedField("name", () -> {
            DocumentService.requireCollection(name);
            return name;
        });
        Map<String, Object> checkedPermissions = checkedField("permissions", () -> permissions(permissions));
        Map<String, Map<String, String>> checkedRelations = checkedField("relations", () -> relations(relations));
        List<String> checkedIndexes = checkedField("indexes", () -> indexes(indexed));
        Optional<CollectionSettings> created = jdbc.sql("""
                INSERT INTO collections AS c (project_id, name, permissions, relations, indexes)
                VALUES (?, ?, ?::jsonb, ?::jsonb, ?::jsonb) ON CONFLICT DO NOTHING RETURNING""" + " " + COLUMNS)
                .params(projectId, name, json.writeValueAsString(checkedPermissions),
                        json.writeValueAsString(checkedRelations), json.writeValueAsString(checkedIndexes))
                .query((rs, row) -> settings(rs, 0L)).optional();
        created.ifPresent(collection -> indexes.create(projectId, name, checkedIndexes));
        created.ifPresent(collection -> events.publishEvent(new CollectionPermissionsChanged(projectId, name)));
        return created;
    }

    /** Replaces the settings given (null keeps one); empty when there is no such collection. */
    public Optional<CollectionSettings> update(UUID projectId, String name, Object permissions, Object relations,
            Object indexed) {
        CollectionSettings before = find(projectId, name).orElse(null);
        if (before == null) {
            return Optional.empty();
        }
        Map<String, Object> newPermissions = permissions == null ? before.permissions()
                : checkedField("permissions", () -> permissions(permissions));
        Map<String, Map<String, String>> newRelations = relations == null ? before.relations()
                : checkedField("relations", () -> relations(relations));
        List<String> newIndexes = indexed == null ? before.indexes() : checkedField("indexes", () -> indexes(indexed));
        jdbc.sql("""
                UPDATE collections SET permissions = ?::jsonb, relations = ?::jsonb, indexes = ?::jsonb,
                updated_at = now() WHERE project_id = ? AND name = ?""").params(json.writeValueAsString(newPermissions),
                json.writeValueAsString(newRelations), json.writeValueAsString(newIndexes), projectId, name).update();
        List<String> dropped = new ArrayList<>(before.indexes());
        dropped.removeAll(newIndexes);
        indexes.drop(projectId, name, dropped);
        indexes.create(projectId, name, newIndexes);
        events.publishEvent(new CollectionPermissionsChanged(projectId, name));
        return find(projectId, name);
    }

    /**
     * Gives the collection a new name, with its documents, webhook and hooks; empty when there is no such
     * collection, the collection as it was when the name is its own. Throws a refusal naming {@code name} for an
     * invalid name and {@link ConflictException} when another collection has it.
     */
    public Optional<CollectionSettings> rename(UUID projectId, String name, Object newName) {
        String to = checkedName(newName);
        CollectionSettings before = find(projectId, name).orElse(null);
        if (before == null || to.equals(name)) {
            return Optional.ofNullable(before);
        }
        boolean renamed;
        try {
            // one transaction: the foreign keys cascade the new name to documents and the webhook (V24), and the
            // hook module moves its rows on CollectionRenamed before the commit
            renamed = Boolean.TRUE.equals(transactions.execute(status -> {
                if (jdbc.sql("UPDATE collections SET name = ?, updated_at = now() WHERE project_id = ? AND name = ?")
                        .params(to, projectId, name).update() == 0) {
                    return false;
                }
                // relations declared to the old name (its own included) now lead to the new one
                jdbc.sql("""
                        UPDATE collections SET relations = (SELECT jsonb_object_agg(field, CASE WHEN target->>'collection'
                            = ? THEN jsonb_build_object('collection', ?::text) ELSE target END)
                            FROM jsonb_each(relations) AS r(field, target))
                        WHERE project_id = ? AND jsonb_path_exists(relations, '$.* ? (@.collection == $c)',
                            jsonb_build_object('c', ?::text))""").params(name, to, projectId, name).update();
                events.publishEvent(new CollectionRenamed(projectId, name, to));
                events.publishEvent(new CollectionPermissionsChanged(projectId, name));
                events.publishEvent(new CollectionPermissionsChanged(projectId, to));
                return true;
            }));
        } catch (DuplicateKeyException e) {
            throw (ConflictException) new ConflictException("A collection named " + to + " exists already")
                    .with("field", "name");
        }
        if (!renamed) {
            return Optional.empty();
        }
        // after the commit: a concurrent index build waits for every open transaction, the rename's too. The old
        // indexes' WHERE names the old collection, which no row has now; the new ones cover the moved rows.
        indexes.drop(projectId, name, before.indexes());
        indexes.create(projectId, to, before.indexes());
        return find(projectId, to);
    }

    /** Whether another collection of the project has this name: checked before changes that precede a rename. */
    public void requireFreeName(UUID projectId, String name, Object newName) {
        String to = checkedName(newName);
        if (!to.equals(name) && find(projectId, to).isPresent()) {
            throw (ConflictException) new ConflictException("A collection named " + to + " exists already")
                    .with("field", "name");
        }
    }

    private static String checkedName(Object newName) {
        return checkedField("name", () -> {
            if (!(newName instanceof String text)) {
                throw new FilterException("name must be the collection's new name, a string");
            }
            DocumentService.requireCollection(text);
            return text;
        });
    }

    /** A check's result, or its refusal marked as being about the request's {@code field}. */
    private static <T> T checkedField(String field, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (FilterException e) {
            throw e.withField(field);
        }
    }

    /** Deletes the collection with all its documents; false when there was none. */
    public boolean delete(UUID projectId, String name) {
        CollectionSettings before = find(projectId, name).orElse(null);
        if (before == null) {
            return false;
        }
        jdbc.sql("DELETE FROM collections WHERE project_id = ? AND name = ?").params(projectId, name).update();
        indexes.drop(projectId, name, before.indexes());
        events.publishEvent(new CollectionPermissionsChanged(projectId, name));
        events.publishEvent(new DocumentsDeleted(projectId, name, null));
        return true;
    }

    /** A collection's permissions; empty (all public) when the collection has no row. */
    Map<String, Object> permissions(UUID projectId, String name) {
        DocumentService.requireCollection(name);
        return jdbc.sql("SELECT permissions::text FROM collections WHERE project_id = ? AND name = ?")
                .params(projectId, name).query((rs, row) -> json.readValue(rs.getString(1), MAP)).optional()
                .orElse(Map.of());
    }

    /** The relations declared on a collection (field → {@code {"collection": target}}); empty without a row. */
    Map<String, Map<String, String>> relations(UUID projectId, String name) {
        DocumentService.requireCollection(name);
        return jdbc.sql("SELECT relations::text FROM collections WHERE project_id = ? AND name = ?")
                .params(projectId, name).query((rs, row) -> json.readValue(rs.getString(1), RELATIONS)).optional()
                .orElse(Map.of());
    }

    /**
     * Permissions as given, checked: each action a list of role names (an empty list or none is public), and
     * {@code owner_only} true when only a document's creator (or a server key) may update or delete it.
     */
    static Map<String, Object> permissions(Object given) {
        Map<String, Object> permissions = new LinkedHashMap<>();
        CollectionPermissions.ACTIONS.forEach(action -> permissions.put(action, List.of()));
        permissions.put("owner_only", false);
        if (given == null) {
            return permissions;
        }
        if (!(given instanceof Map<?, ?> map)) {
            throw new FilterException("permissions must be an object such as {\"read\": [], \"create\": [\"admin\"]}");
        }
        map.forEach((key, value) -> {
            String action = String.valueOf(key);
            if (action.equals("owner_only")) {
                if (!(value instanceof Boolean flag)) {
                    throw new FilterException("permissions.owner_only must be true or false");
                }
                permissions.put(action, flag);
                return;
            }
            if (!CollectionPermissions.ACTIONS.contains(action)) {
                throw new FilterException("permissions." + action + " is not one of "
                        + String.join(", ", CollectionPermissions.ACTIONS) + ", owner_only");
            }
            if (value != null && !(value instanceof List<?> list && list.size() <= 100 && list.stream()
                    .allMatch(role -> role instanceof String s && !s.isBlank() && s.length() <= 100))) {
                throw new FilterException("permissions." + action + " must be a list of role names");
            }
            permissions.put(action, value == null ? List.of() : value);
        });
        return permissions;
    }

    /**
     * Relations as given, checked and written one way: {@code {"author": "users"}} and
     * {@code {"author": {"collection": "users"}}} both become the latter; "appuser" names the app users.
     */
    static Map<String, Map<String, String>> relations(Object given) {
        Map<String, Map<String, String>> relations = new LinkedHashMap<>();
        if (given == null) {
            return relations;
        }
        if (!(given instanceof Map<?, ?> map)) {
            throw new FilterException("relations must be an object such as {\"author\": {\"collection\": \"users\"}}");
        }
        if (map.size() > MAX_RELATIONS) {
            throw new FilterException("a collection may declare at most " + MAX_RELATIONS + " relations");
        }
        map.forEach((key, value) -> {
            String field = FieldPath.parse(String.valueOf(key)).name();
            if (field.contains(".")) {
                throw new FilterException("relation '" + field + "' must be a top-level field");
            }
            Object target = value instanceof Map<?, ?> spec && spec.size() == 1 ? spec.get("collection") : value;
            if (!(target instanceof String collection)) {
                throw new FilterException("relations." + field + " must name a collection, as \"users\" or"
                        + " {\"collection\": \"users\"}");
            }
            if (!collection.equals(APP_USERS)) {
                DocumentService.requireCollection(collection);
            }
            relations.put(field, Map.of("collection", collection));
        });
        return relations;
    }

    /** Indexed fields as given, checked: a list of distinct (dotted) data field names. */
    static List<String> indexes(Object given) {
        if (given == null) {
            return List.of();
        }
        if (!(given instanceof List<?> list)) {
            throw new FilterException("indexes must be a list of field names such as [\"views\", \"author.name\"]");
        }
        if (list.size() > MAX_INDEXES) {
            throw new FilterException("a collection may index at most " + MAX_INDEXES + " fields, not " + list.size());
        }
        LinkedHashSet<String> fields = new LinkedHashSet<>();
        for (Object field : list) {
            if (!(field instanceof String name)) {
                throw new FilterException("indexes must be a list of field names, not " + field);
            }
            FieldPath path = FieldPath.parse(name);
            if (path.isColumn()) {
                throw new FilterException("'" + name + "' is indexed already; list data fields");
            }
            fields.add(path.name());
        }
        return List.copyOf(fields);
    }

    private CollectionSettings settings(ResultSet rs, Long documents) throws SQLException {
        return new CollectionSettings(rs.getString("name"), json.readValue(rs.getString("permissions"), MAP),
                json.readValue(rs.getString("relations"), RELATIONS), json.readValue(rs.getString("indexes"), LIST),
                documents, rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
