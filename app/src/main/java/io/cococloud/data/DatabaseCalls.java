package io.cococloud.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.cococloud.appuser.AppUser;
import io.cococloud.appuser.AppUserService;
import io.cococloud.appuser.ReadAccess;
import io.cococloud.error.DomainException;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.FilterException;

/**
 * The Python {@code db} object's calls, as plain values in and out: the runtime passes decoded
 * JSON arguments and gets back the value to return, or the error Python should raise. Bound to
 * a project by the caller, which holds the project id; functions never name one. {@code db} acts for the
 * project, as a server key does: it reads every collection and every app user's record whatever the read rules
 * (the function's author decides what its callers see), so populate reads as {@link ReadAccess#project()}.
 */
@Component
public class DatabaseCalls {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCalls.class);
    /** A populate entry: field names joined by dots, each optionally field:collection (compiled once: every page). */
    private static final Pattern POPULATE_ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_-]*)?"
            + "(\\.[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_-]*)?){0,3}");

    private final DocumentService documents;
    private final AppUserService users;
    private final Populator populator;

    DatabaseCalls(DocumentService documents, AppUserService users, Populator populator) {
        this.documents = documents;
        this.users = users;
        this.populator = populator;
    }

    /**
     * The function whose {@code db} call runs on this thread, or null: what it changes (documents, app users) does
     * not run its own hooks.
     */
    public static UUID callingFunction() {
        return DocumentService.WRITER.get();
    }

    /** {@code {"result": value}}, or {@code {"error": message, "type": "ValueError" | "RuntimeError"}}. */
    public Map<String, Object> call(UUID projectId, String operation, Map<String, Object> args) {
        return call(projectId, null, operation, args);
    }

    /**
     * The same, made by the function {@code caller} (null: none known): its writes do not run its own hooks.
     */
    public Map<String, Object> call(UUID projectId, UUID caller, String operation, Map<String, Object> args) {
        UUID outer = DocumentService.WRITER.get();
        DocumentService.WRITER.set(caller);
        try {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("result", run(projectId, operation, args));
            return answer;
        } catch (DomainException e) {
            // a refusal of the domain (a bad filter, a duplicate email, a password too short) is the caller's mistake
            return Map.of("error", e.getMessage(), "type", "ValueError");
        } catch (DataAccessException e) {
            log.warn("db.{} failed for project {}: {}", operation, projectId, e.getMostSpecificCause().getMessage());
            return Map.of("error", "the database could not answer (" + operation + ")", "type", "RuntimeError");
        } finally {
            DocumentService.WRITER.set(outer);
        }
    }

    @SuppressWarnings("unchecked")
    private Object run(UUID projectId, String operation, Map<String, Object> args) {
        String collection = (String) args.get("collection");
        Map<String, Object> filters = args.get("filters") instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of();
        List<String> populate = populateEntries(args.get("populate"));
        return switch (operation) {
            case "query" -> {
                Map<String, Object> page = page(documents.page(projectId, collection, new DocumentQuery(filters,
                        (String) args.get("sort"), (String) args.get("order"), number(args.get("limit"), 10, "limit"),
                        number(args.get("offset"), 0, "offset"), (List<String>) args.get("select"))));
                populator.populate(projectId, collection, (List<Map<String, Object>>) page.get("data"), populate,
                        ReadAccess.project());
                yield page;
            }
            case "find_one" -> documents.findOne(projectId, collection, filters).map(d -> {
                Map<String, Object> flat = d.flat();
                populator.populate(projectId, collection, List.of(flat), populate, ReadAccess.project());
                return flat;
            }).orElse(null);
            case "count" -> documents.count(projectId, collection, filters.entrySet());
            case "create" -> documents.create(projectId, collection, object(args.get("data")), null).flat();
            case "update" -> documents.update(projectId, collection, String.valueOf(args.get("id")),
                    object(args.get("data"))).map(Document::flat).orElse(null);
            case "delete" -> documents.delete(projectId, collection, String.valueOf(args.get("id")));
            case "search" -> documents.search(projectId, collection, String.valueOf(args.get("term")),
                    (List<String>) args.get("fields"), args.get("limit") == null ? null
                            : number(args.get("limit"), 10, "limit")).stream().map(Document::flat).toList();
            case "get_app_user" -> users.find(projectId, text(args.get("id"), "id")).map(AppUser::publicView)
                    .orElse(null);
            case "find_user" -> findUser(projectId, filters);
            case "query_users" -> queryUsers(projectId, filters, number(args.get("limit"), 10, "limit"),
                    number(args.get("offset"), 0, "offset"));
            case "create_app_user" -> users.create(projectId, text(args.get("email"), "email"),
                    text(args.get("password"), "password"), args.get("data") == null ? null : object(args.get("data")),
                    (List<String>) args.get("roles")).publicView();
            case "update_app_user" -> users.updateAsProject(projectId, text(args.get("id"), "id"),
                    args.get("data") == null ? null : object(args.get("data")), (List<String>) args.get("roles"),
                    (String) args.get("email")).map(AppUser::publicView).orElse(null);
            default -> throw new FilterException("db has no operation '" + operation + "'");
        };
    }

    /** find_user(id=... | email=... | auth_token=...): exactly one of them. */
    private Map<String, Object> findUser(UUID projectId, Map<String, Object> by) {
        if (by.size() != 1) {
            throw new FilterException("find_user takes exactly one of id=, email= or auth_token=");
        }
        Map.Entry<String, Object> only = by.entrySet().iterator().next();
        String value = String.valueOf(only.getValue());
        return (switch (only.getKey()) {
            case "id" -> users.find(projectId, value);
            case "email" -> users.findByEmail(projectId, value);
            case "auth_token" -> users.findBySessionToken(projectId, value);
            default -> throw new FilterException("find_user takes id=, email= or auth_token=, not "
                    + only.getKey() + "=");
        }).map(AppUser::publicView).orElse(null);
    }

    /** query_users: role= means "has that role", email= matches the address, the rest filter data fields. */
    private Map<String, Object> queryUsers(UUID projectId, Map<String, Object> filters, int limit, int offset) {
        if (limit < 1 || limit > DocumentQuery.MAX_LIMIT) {
            throw new FilterException("limit must be between 1 and " + DocumentQuery.MAX_LIMIT + ", not " + limit);
        }
        Map<String, Object> dataFilters = new LinkedHashMap<>(filters);
        Object role = dataFilters.remove("role");
        Object email = dataFilters.remove("email");
        List<Map<String, Object>> found = users.query(projectId, FilterCompiler.compile(dataFilters),
                role == null ? null : String.valueOf(role), email == null ? null : String.valueOf(email), limit,
                offset).stream().map(AppUser::publicView).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", found);
        result.put("limit", limit);
        result.put("offset", offset);
        return result;
    }

    private static String text(Object value, String name) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new FilterException(name + " must be a non-empty string");
        }
        return s;
    }

    /** populate=["author", "post.author"] or a single "author"; each entry validated as field names. */
    private static List<String> populateEntries(Object populate) {
        if (populate == null) {
            return List.of();
        }
        List<?> entries = populate instanceof List<?> list ? list : List.of(populate);
        for (Object entry : entries) {
            if (!(entry instanceof String text) || !POPULATE_ENTRY.matcher(text).matches()) {
                throw new FilterException("populate entry '" + entry + "' must be field names joined by dots,"
                        + " each optionally field:collection");
            }
        }
        return entries.stream().map(String::valueOf).toList();
    }

    /**
     * The page as db.query answers it, its keys in the order the function sees them. "total" is null unless the page
     * tells it without a count; database.py then counts it (the count call, same filters) if and when the function
     * reads it.
     */
    private static Map<String, Object> page(DocumentPage page) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", new java.util.ArrayList<>(page.data().stream().map(Document::flat).toList()));
        result.put("total", page.total());
        result.put("limit", page.limit());
        result.put("offset", page.offset());
        result.put("has_more", page.hasMore());
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object data) {
        if (!(data instanceof Map<?, ?>)) {
            throw new FilterException("data must be a dict, not " + (data == null ? "None" : data.getClass()
                    .getSimpleName()));
        }
        return (Map<String, Object>) data;
    }

    /** Numbers arrive as JSON numbers, or as strings from URLs passed along ("20"). */
    private static int number(Object value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            // intValue() would wrap 2**32+5 to 5 and 2**31 to a negative number.
            if (n.doubleValue() < Integer.MIN_VALUE || n.doubleValue() > Integer.MAX_VALUE) {
                throw new FilterException(name + " is out of range: " + value);
            }
            return n.intValue();
        }
        String text = String.valueOf(value).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            if (text.matches("[+-]?\\d+")) {
                throw new FilterException(name + " is out of range: " + text);
            }
            throw new FilterException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
