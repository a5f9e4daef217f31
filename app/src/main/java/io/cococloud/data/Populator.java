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

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;

/**
 * {@code populate=["author", "category", "post.author"]} (FUNCTION_API.md §3): replaces a
 * reference with the record(s) it names, under the reference's base name. The reference is the
 * field {@code author_id} (one id) or {@code author_ids} (a list), else {@code author} itself;
 * the target is an explicit {@code author:categories} / {@code author:appuser}, else a relation
 * declared on the collection, else a collection named the field's plural or the field's name,
 * else the project's app users. One query per populated field, whatever the page size.
 */
@Component
class Populator {

    private static final String APP_USERS = "appuser";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final AppUserService users;

    Populator(JdbcTemplate jdbc, JsonMapper json, AppUserService users) {
        this.jdbc = jdbc;
        this.json = json;
        this.users = users;
    }

    /**
     * Populates stored documents: the rules work on the fields as functions see them (the id beside the data),
     * and the result goes back into each document's data.
     */
    List<Document> populateDocuments(UUID projectId, String collection, List<Document> page, List<String> entries) {
        if (entries.isEmpty()) {
            return page;
        }
        List<Map<String, Object>> fields = page.stream().map(document -> {
            Map<String, Object> flat = new LinkedHashMap<>(document.data());
            flat.put("id", document.id());
            return flat;
        }).toList();
        populate(projectId, collection, fields, entries);
        List<Document> populated = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Map<String, Object> data = new LinkedHashMap<>(fields.get(i));
            data.remove("id");
            Document d = page.get(i);
            populated.add(new Document(d.id(), data, d.ownerId(), d.createdAt(), d.updatedAt()));
        }
        return populated;
    }

    /** Populates the flat documents of {@code collection} in place. */
    void populate(UUID projectId, String collection, List<Map<String, Object>> documents, List<String> entries) {
        for (String entry : entries) {
            populatePath(projectId, collection, documents, List.of(entry.split("\\.")));
        }
    }

    private void populatePath(UUID projectId, String collection, List<Map<String, Object>> documents,
            List<String> path) {
        String[] head = path.getFirst().split(":", 2);
        String field = FieldPath.parse(head[0]).name();
        String target = head.length == 2 ? head[1] : target(projectId, collection, field);
        Map<String, Map<String, Object>> byId = fetch(projectId, target, referencedIds(documents, field));
        List<Map<String, Object>> populated = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            Object reference = reference(document, field);
            if (reference instanceof Collection<?> ids) {
                List<Map<String, Object>> records = ids.stream().map(id -> byId.get(String.valueOf(id)))
                        .filter(r -> r != null).toList();
                document.put(field, records);
                populated.addAll(records);
            } else if (reference != null) {
                Map<String, Object> record = byId.get(String.valueOf(reference));
                document.put(field, record);
                if (record != null) {
                    populated.add(record);
                }
            }
        }
        if (path.size() > 1 && !APP_USERS.equals(target)) {
            populatePath(projectId, target, populated, path.subList(1, path.size()));
        }
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

    private String target(UUID projectId, String collection, String field) {
        List<String> declared = jdbc.queryForList("""
                SELECT coalesce(relations -> ? ->> 'collection', relations ->> ?) FROM collections
                WHERE project_id = ? AND name = ?""", String.class, field, field, projectId, collection);
        if (!declared.isEmpty() && declared.getFirst() != null) {
            return declared.getFirst();
        }
        List<String> candidates = List.of(plural(field), field);
        List<String> existing = jdbc.queryForList("SELECT name FROM collections WHERE project_id = ? AND name = ANY (?)",
                String.class, projectId, candidates.toArray(String[]::new));
        return candidates.stream().filter(existing::contains).findFirst().orElse(APP_USERS);
    }

    private Map<String, Map<String, Object>> fetch(UUID projectId, String target, Set<String> ids) {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        if (ids.isEmpty()) {
            return byId;
        }
        if (APP_USERS.equals(target)) {
            for (AppUser user : users.findAll(projectId, ids)) {
                byId.put(user.id(), populatedUser(user));
            }
            return byId;
        }
        jdbc.query("""
                SELECT id, data::text AS data, created_at, updated_at FROM documents
                WHERE project_id = ? AND collection = ? AND id = ANY (?)""", rs -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", rs.getString("id"));
            record.putAll(json.readValue(rs.getString("data"), MAP));
            record.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
            record.put("updated_at", rs.getTimestamp("updated_at").toInstant().toString());
            byId.put(rs.getString("id"), record);
        }, projectId, target, ids.toArray(String[]::new));
        return byId;
    }

    /** {id, email, created_at, roles, **data}: post.author.name reads the user's data.name. */
    private static Map<String, Object> populatedUser(AppUser user) {
        Map<String, Object> record = new LinkedHashMap<>(user.data());
        record.put("id", user.id());
        record.put("email", user.email());
        record.put("created_at", user.createdAt() == null ? null : user.createdAt().toString());
        record.put("roles", user.roles());
        return record;
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
