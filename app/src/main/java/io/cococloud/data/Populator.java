package io.cococloud.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;
import io.cococloud.appuser.AppUserVisibility;
import io.cococloud.appuser.ReadAccess;
import io.cococloud.appuser.UserDataPopulator;
import io.cococloud.appuser.VisibleUsers;
import io.cococloud.query.FieldPath;

/**
 * {@code populate=["author", "category", "post.author"]} (docs/client-api.md#populate): replaces a
 * reference with the record(s) it names, under the reference's base name. The reference is the
 * field {@code author_id} (one id) or {@code author_ids} (a list), else {@code author} itself;
 * the target is an explicit {@code author:categories} / {@code author:appuser}, else a relation
 * declared on the collection, else a collection named the field's plural or the field's name,
 * else the project's app users. One query per populated field, whatever the page size.
 *
 * <p>Populate reads for a {@link ReadAccess}: the project itself (server key, {@code db}, console) reads every
 * collection and every user's record; a client reads a collection only under its read rule and app users as
 * {@link VisibleUsers} allows. What the reader may not read stays as stored (the ids), without an error.
 *
 * <p>It is the one populate: app users' {@code data} is populated here too ({@link UserDataPopulator}), with the
 * same reference, target and read rules, only without declared relations (users have no collection row).
 */
@Component
class Populator implements UserDataPopulator {

    private static final String APP_USERS = "appuser";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AppUserService users;
    private final AppUserVisibility visibility;
    private final CollectionPermissions permissions;
    private final DeclaredRelations relations;

    Populator(JdbcClient jdbc, JsonMapper json, AppUserService users, AppUserVisibility visibility,
            CollectionPermissions permissions, DeclaredRelations relations) {
        this.jdbc = jdbc;
        this.json = json;
        this.users = users;
        this.visibility = visibility;
        this.permissions = permissions;
        this.relations = relations;
    }

    /**
     * Populates stored documents: the rules work on the fields as functions see them (the id beside the data),
     * and the result goes back into each document's data.
     */
    List<Document> populateDocuments(UUID projectId, String collection, List<Document> page, List<String> entries,
            ReadAccess reader) {
        if (entries.isEmpty()) {
            return page;
        }
        List<Map<String, Object>> fields = page.stream().map(document -> {
            Map<String, Object> flat = new LinkedHashMap<>(document.data());
            flat.put("id", document.id());
            return flat;
        }).toList();
        populate(projectId, collection, fields, entries, reader);
        List<Document> populated = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Map<String, Object> data = new LinkedHashMap<>(fields.get(i));
            data.remove("id");
            Document d = page.get(i);
            populated.add(new Document(d.id(), data, d.ownerId(), d.createdAt(), d.updatedAt()));
        }
        return populated;
    }

    /**
     * Populates the flat documents of {@code collection} in place, reading only what {@code reader} may read: a
     * target collection whose read rule the reader does not pass, and an app user it may not see, leave the
     * reference as stored. Each level of a dotted entry is checked on its own.
     */
    void populate(UUID projectId, String collection, List<Map<String, Object>> documents, List<String> entries,
            ReadAccess reader) {
        Reading reading = new Reading(projectId, reader, null);
        for (String entry : entries) {
            populatePath(reading, collection, documents, List.of(entry.split("\\.")));
        }
    }

    /** App users' data: a reference's target is named, or found by name, never declared (no collection). */
    @Override
    public void populate(UUID projectId, List<Map<String, Object>> data, List<String> entries, VisibleUsers visible) {
        Reading reading = new Reading(projectId, visible.reader(), visible);
        for (String entry : entries) {
            populatePath(reading, null, data, List.of(entry.split("\\.")));
        }
    }

    /** One populate call: the reader, and what it may read, worked out once per target. */
    private final class Reading {
        final UUID projectId;
        final ReadAccess reader;
        private final Map<String, Boolean> readable = new HashMap<>();
        private VisibleUsers users;

        /** @param users what the reader may see of users when the caller knows it already, else null */
        Reading(UUID projectId, ReadAccess reader, VisibleUsers users) {
            this.projectId = projectId;
            this.reader = reader;
            this.users = users;
        }

        boolean mayRead(String collection) {
            return readable.computeIfAbsent(collection, c -> permissions.mayRead(projectId, reader, c));
        }

        VisibleUsers users() {
            if (users == null) {
                users = visibility.of(projectId, reader);
            }
            return users;
        }
    }

    private void populatePath(Reading reading, String collection, List<Map<String, Object>> documents,
            List<String> path) {
        String[] head = path.getFirst().split(":", 2);
        String field = FieldPath.parse(head[0]).name();
        String target = head.length == 2 ? head[1] : target(reading.projectId, collection, field);
        if (!APP_USERS.equals(target) && !reading.mayRead(target)) {
            return; // the whole field stays as stored: not even which ids exist is told
        }
        Map<String, Object> byId = fetch(reading, target, referencedIds(documents, field));
        List<Map<String, Object>> populated = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            Object reference = reference(document, field);
            if (reference instanceof Collection<?> ids) {
                // a record the reader may not see stays its id, in its place; none seen, the field stays as stored
                List<Object> records = ids.stream().map(id -> byId.get(String.valueOf(id)))
                        .filter(r -> r != null).toList();
                if (!records.isEmpty() && records.stream().allMatch(r -> r instanceof String)) {
                    continue;
                }
                document.put(field, records);
                records.stream().filter(r -> r instanceof Map<?, ?>).forEach(r -> populated.add(record(r)));
            } else if (reference != null) {
                Object record = byId.get(String.valueOf(reference));
                if (record instanceof String) {
                    continue; // hidden: the reference stays as stored
                }
                document.put(field, record);
                if (record != null) {
                    populated.add(record(record));
                }
            }
        }
        if (path.size() > 1 && !APP_USERS.equals(target)) {
            populatePath(reading, target, populated, path.subList(1, path.size()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Object record) {
        return (Map<String, Object>) record;
    }

    /** author_id, else author_ids, else author. */
    private static Object reference(Map<String, Object> document, String field) {
        if (document.get(field + "_id") != null) {
            return document.get(field + "_id");
        }
        if (document.get(field + "_ids") instanceof Collection<?> ids) {
            return ids;
        }
        Object own = document.get(field);
        return own instanceof String || own instanceof Number || own instanceof Collection<?> ? own : null;
    }

    private static Set<String> referencedIds(List<Map<String, Object>> documents, String field) {
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> document : documents) {
            Object reference = reference(document, field);
            if (reference instanceof Collection<?> many) {
                many.forEach(id -> ids.add(String.valueOf(id)));
            } else if (reference != null) {
                ids.add(String.valueOf(reference));
            }
        }
        return ids;
    }

    /** The relation declared on {@code collection} (null: app users, none), else the field's plural or name. */
    private String target(UUID projectId, String collection, String field) {
        if (collection != null) {
            String declared = relations.target(projectId, collection, field);
            if (declared != null) {
                return declared;
            }
        }
        List<String> candidates = List.of(plural(field), field);
        List<String> existing = jdbc.sql("SELECT name FROM collections WHERE project_id = ? AND name = ANY (?)")
                .params(projectId, candidates.toArray(String[]::new)).query(String.class).list();
        return candidates.stream().filter(existing::contains).findFirst().orElse(APP_USERS);
    }

    /**
     * The records of these ids by id, as maps; an app user the reader may not see maps to its own id (a string), so
     * that the caller leaves it as stored. Ids without a record are absent.
     */
    private Map<String, Object> fetch(Reading reading, String target, Set<String> ids) {
        Map<String, Object> byId = new HashMap<>();
        if (ids.isEmpty()) {
            return byId;
        }
        if (APP_USERS.equals(target)) {
            VisibleUsers visible = reading.users();
            if (!visible.othersVisible()) {
                ids.forEach(id -> byId.put(id, id)); // an id that names no user is not told apart from a hidden one
            }
            for (AppUser user : users.findAll(reading.projectId, ids, reading.reader.wholeProject())) {
                byId.put(user.id(), visible.populated(user).<Object>map(r -> r).orElse(user.id()));
            }
            return byId;
        }
        jdbc.sql("""
                SELECT id, data::text AS data, created_at, updated_at FROM documents
                WHERE project_id = ? AND collection = ? AND id = ANY (?)""")
                .params(reading.projectId, target, ids.toArray(String[]::new)).query(rs -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", rs.getString("id"));
            record.putAll(json.readValue(rs.getString("data"), MAP));
            record.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
            record.put("updated_at", rs.getTimestamp("updated_at").toInstant().toString());
            byId.put(rs.getString("id"), record);
        });
        return byId;
    }

    static String plural(String word) {
        if (word.endsWith("y") && word.length() > 1 && "aeiou".indexOf(word.charAt(word.length() - 2)) < 0) {
            return word.substring(0, word.length() - 1) + "ies";
        }
        if (word.endsWith("s") || word.endsWith("x") || word.endsWith("ch") || word.endsWith("sh")) {
            return word + "es";
        }
        return word + "s";
    }
}
