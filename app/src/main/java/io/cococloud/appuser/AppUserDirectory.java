package io.cococloud.appuser;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.data.CollectionPermissions;
import io.cococloud.data.FieldPath;
import io.cococloud.data.FilterCompiler;
import io.cococloud.data.FilterException;
import io.cococloud.data.SqlCondition;
import io.cococloud.web.ApiProblem;

/**
 * Lists and finds a project's app users for the admin API and the client API's
 * {@code GET /auth-collections/users}, with the document filter language of the client API
 * (COCOBASE_COMPAT.md "Filters") over the users' {@code data}, plus the account fields:
 * <ul>
 * <li>{@code email} (case-insensitive), with {@code ne}, {@code contains}, {@code startswith},
 * {@code endswith} and {@code in};
 * <li>{@code role} or {@code roles}: has that role ({@code roles_in=a,b}: any of them;
 * {@code roles_ne}, {@code roles_notin}: none of them);
 * <li>{@code disabled}, {@code email_verified}: true or false;
 * <li>{@code id}, {@code created_at}, {@code updated_at} and data fields ({@code city=Paris} or
 * {@code data.city=Paris}) exactly as for documents.
 * </ul>
 * The account fields are understood as plain keys only; inside an {@code [or]} group a key is a
 * data field.
 */
@Service
class AppUserDirectory {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Query parameters that are not filters. */
    private static final Set<String> NOT_FILTERS = Set.of("limit", "offset", "sort", "order", "populate");
    private static final Pattern ACCOUNT_FIELD = Pattern.compile("(email_verified|email|roles?|disabled)"
            + "(?:(?:__|_)(eq|ne|gt|gte|lt|lte|contains|startswith|endswith|in|notin|nin|isnull|exists))?");
    /** {@code data.city} is the data field {@code city}, wherever a field name starts in a key. */
    private static final Pattern DATA_PREFIX = Pattern.compile("(^|\\]|__or__)data\\.");
    private static final Pattern POPULATE_ENTRY =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,63})(?::([A-Za-z_][A-Za-z0-9_-]{0,63}))?");
    private static final String APP_USERS = "appuser";
    private static final String COLUMNS = AppUserService.COLUMNS.replace("u.", "d.") + ", d.disabled, d.updated_at";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final AppUserService users;
    private final CollectionPermissions permissions;

    AppUserDirectory(JdbcTemplate jdbc, JsonMapper json, AppUserService users, CollectionPermissions permissions) {
        this.jdbc = jdbc;
        this.json = json;
        this.users = users;
        this.permissions = permissions;
    }

    /** What to list: filters, sort field ({@code -field} descending), order asc/desc, page. */
    record Query(Map<String, Object> filters, String sort, String order, int limit, int offset) {

        /** The query of a URL's parameters; 400 naming limit, offset or order when they are out of bounds. */
        static Query of(MultiValueMap<String, String> params) {
            Map<String, Object> filters = new LinkedHashMap<>();
            params.forEach((key, values) -> {
                if (NOT_FILTERS.contains(key) || values.isEmpty()) {
                    return;
                }
                // refused rather than read as its first value: a filter silently dropped would widen the list
                if (values.size() > 1) {
                    throw ApiProblem.badRequest("filter '" + key + "' is given " + values.size()
                            + " times; give each filter once");
                }
                filters.put(key, values.getFirst());
            });
            int limit = integer(params, "limit", DEFAULT_LIMIT);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
            int offset = integer(params, "offset", 0);
            if (offset < 0) {
                throw ApiProblem.badRequest("offset must not be negative, not " + offset);
            }
            String order = params.getFirst("order");
            if (order != null && !order.isBlank() && !order.strip().equalsIgnoreCase("asc")
                    && !order.strip().equalsIgnoreCase("desc")) {
                throw ApiProblem.badRequest("order must be asc or desc, not '" + order + "'");
            }
            return new Query(filters, params.getFirst("sort"), order == null ? null : order.strip(), limit, offset);
        }

        private static int integer(MultiValueMap<String, String> params, String name, int otherwise) {
            String value = params.getFirst(name);
            if (value == null || value.isBlank()) {
                return otherwise;
            }
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest(name + " must be a whole number, not '" + value + "'");
            }
        }
    }

    /**
     * The fields the query's filters and sort read: account fields and columns by name ({@code role} is
     * {@code roles}), data fields as {@code data.} and their first segment ({@code address.city} is
     * {@code data.address}), so that a data field is never taken for the account field of the same name.
     */
    static Set<String> fieldsRead(Query query) {
        Set<String> fields = new LinkedHashSet<>();
        query.filters().keySet().forEach(key -> {
            Matcher account = ACCOUNT_FIELD.matcher(key);
            if (account.matches()) {
                fields.add(account.group(1).equals("role") ? "roles" : account.group(1));
                return;
            }
            try {
                FilterCompiler.fields(DATA_PREFIX.matcher(key).replaceAll("$1"))
                        .forEach(field -> fields.add(field.isColumn() ? field.name() : "data." + field.segments()
                                .getFirst()));
            } catch (FilterException e) {
                throw ApiProblem.badRequest(e.getMessage());
            }
        });
        if (query.sort() != null && !query.sort().isBlank()) {
            String sort = query.sort().strip();
            sort = sort.startsWith("-") ? sort.substring(1) : sort;
            fields.add(switch (sort) {
                case "id", "created_at", "updated_at", "email" -> sort;
                default -> "data." + (sort.startsWith("data.") ? sort.substring(5) : sort).split("\\.", 2)[0];
            });
        }
        return fields;
    }

    /** One page of users and the number of all that match. */
    record Page(List<ManagedUser> data, long total, int limit, int offset) {

        boolean hasMore() {
            return offset + data.size() < total;
        }

        /** {@code {data, total, limit, offset, has_more}} with the given views of the users. */
        Map<String, Object> view(List<Map<String, Object>> views) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("data", views);
            page.put("total", total);
            page.put("limit", limit);
            page.put("offset", offset);
            page.put("has_more", hasMore());
            return page;
        }
    }

    /** A page of the project's users; disabled users only when {@code withDisabled} (the admin view). */
    Page list(UUID projectId, Query query, boolean withDisabled) {
        List<Object> params = new ArrayList<>(List.of(projectId));
        String from = " FROM app_users d WHERE d.project_id = ? AND (" + where(query.filters(), params) + ")"
                + (withDisabled ? "" : " AND NOT d.disabled");
        Long total = jdbc.queryForObject("SELECT count(*)" + from, Long.class, params.toArray());
        List<Object> pageParams = new ArrayList<>(params);
        String orderBy = orderBy(query.sort(), query.order(), pageParams);
        pageParams.add(query.limit());
        pageParams.add(query.offset());
        List<ManagedUser> found = jdbc.query("SELECT " + COLUMNS + from + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?",
                this::managed, pageParams.toArray());
        return new Page(found, total == null ? 0 : total, query.limit(), query.offset());
    }

    /** One user of the project; a disabled one only when {@code withDisabled}. */
    Optional<ManagedUser> find(UUID projectId, String id, boolean withDisabled) {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_users d WHERE d.project_id = ? AND d.id = ?"
                + (withDisabled ? "" : " AND NOT d.disabled"), this::managed, projectId, id).stream().findFirst();
    }

    // ------------------------------------------------------------------------------------------- filters

    /** The condition of the filters over alias {@code d}, its values appended to {@code params}. */
    private static String where(Map<String, Object> filters, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> dataFilters = new LinkedHashMap<>();
        filters.forEach((key, value) -> {
            Matcher account = ACCOUNT_FIELD.matcher(key);
            if (account.matches()) {
                conditions.add(accountCondition(account.group(1), account.group(2) == null ? "eq" : account.group(2),
                        value, params));
            } else {
                dataFilters.put(DATA_PREFIX.matcher(key).replaceAll("$1"), value);
            }
        });
        try {
            // the compiler writes over alias d with columns id, created_at, updated_at and data:
            // app_users has the documents table's names for them, so the whole language applies
            SqlCondition data = FilterCompiler.compile(dataFilters);
            conditions.add(data.sql());
            params.addAll(data.params());
        } catch (FilterException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return String.join(" AND ", conditions.stream().map(c -> "(" + c + ")").toList());
    }

    private static String accountCondition(String field, String operator, Object value, List<Object> params) {
        String text = value == null ? "" : String.valueOf(value).strip();
        switch (field) {
            case "email" -> {
                switch (operator) {
                    case "eq", "ne" -> {
                        params.add(text);
                        return "lower(d.email) " + (operator.equals("eq") ? "=" : "<>") + " lower(?)";
                    }
                    case "contains", "startswith", "endswith" -> {
                        // ILIKE's escape character is the backslash; escaping it and the wildcards makes the value literal
                        String literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                        params.add(switch (operator) {
                            case "startswith" -> literal + "%";
                            case "endswith" -> "%" + literal;
                            default -> "%" + literal + "%";
                        });
                        return "d.email ILIKE ?";
                    }
                    case "in" -> {
                        params.add(list(text).stream().map(e -> e.toLowerCase(Locale.ROOT)).toArray(String[]::new));
                        return "lower(d.email) = ANY (?)";
                    }
                    default -> throw unsupported(operator, field, "eq, ne, contains, startswith, endswith, in");
                }
            }
            case "role", "roles" -> {
                switch (operator) {
                    case "eq", "contains", "ne" -> {
                        params.add(text);
                        return (operator.equals("ne") ? "NOT " : "") + "(? = ANY (d.roles))";
                    }
                    case "in", "notin", "nin" -> {
                        params.add(list(text).toArray(String[]::new));
                        return (operator.equals("in") ? "" : "NOT ") + "(d.roles && ?::text[])";
                    }
                    default -> throw unsupported(operator, field, "eq, contains, ne, in, notin");
                }
            }
            default -> {
                // disabled, email_verified: flags
                if (!operator.equals("eq") && !operator.equals("ne")) {
                    throw unsupported(operator, field, "eq, ne");
                }
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw ApiProblem.badRequest(field + " must be true or false, not '" + value + "'");
                }
                params.add(Boolean.parseBoolean(text) == operator.equals("eq"));
                return (field.equals("disabled") ? "d.disabled" : "(d.email_verified_at IS NOT NULL)") + " = ?";
            }
        }
    }

    /** "a, b" is ["a", "b"], as in the document filters. */
    private static List<String> list(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    private static ApiProblem unsupported(String operator, String field, String supported) {
        return ApiProblem.badRequest("operator '" + operator + "' does not apply to " + field + "; use " + supported);
    }

    /** Newest first unless told otherwise; the id breaks ties so that pages do not overlap. */
    private static String orderBy(String sort, String order, List<Object> params) {
        String field = sort == null || sort.isBlank() ? "created_at" : sort.strip();
        boolean descending = !"asc".equalsIgnoreCase(order);
        if (field.startsWith("-")) {
            field = field.substring(1);
            descending = true;
        }
        String direction = descending ? " DESC" : " ASC";
        String expression = switch (field) {
            case "id", "created_at", "updated_at" -> "d." + field;
            case "email" -> "lower(d.email)";
            default -> {
                try {
                    params.add(FieldPath.parse(field.startsWith("data.") ? field.substring(5) : field).segments()
                            .toArray(String[]::new));
                    // jsonb orders numbers numerically and strings as text; absent fields go last
                    yield "d.data #> ?::text[]";
                } catch (FilterException e) {
                    throw ApiProblem.badRequest("sort must name a field: " + e.getMessage());
                }
            }
        };
        return expression + direction + " NULLS LAST, d.id" + direction;
    }

    // ------------------------------------------------------------------------------------------- populate

    /**
     * {@code populate=manager&populate=team} or {@code populate=manager,team}: each a data field,
     * optionally {@code field:target}. Nested paths are not supported on users (400).
     */
    static List<String> populateEntries(MultiValueMap<String, String> params) {
        List<String> entries = params.getOrDefault("populate", List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .distinct().toList();
        for (String entry : entries) {
            if (!POPULATE_ENTRY.matcher(entry).matches()) {
                throw ApiProblem.badRequest("populate entry '" + entry + "' must be a data field name, optionally"
                        + " field:collection (nested paths are not supported on users)");
            }
        }
        return entries;
    }

    /**
     * Replaces references in the users' {@code data} with the records they name, under the
     * reference's base name, as documents' populate does: the reference is {@code data.manager_id}
     * (one id), {@code data.manager_ids} (a list) or {@code data.manager}; the target is
     * {@code manager:collection}, else a collection named {@code managers} or {@code manager}, else
     * the project's app users. It reads as the reader of {@code visible} may: a collection whose read rule
     * the reader does not pass, and a user it may not see, leave the reference as stored (no error).
     *
     * @param views   user views whose {@code data} is replaced by a populated copy
     * @param visible what the reader may see of users; the project itself also sees disabled users
     */
    void populate(UUID projectId, List<Map<String, Object>> views, List<String> entries, VisibleUsers visible) {
        ReadAccess reader = visible.reader();
        for (String entry : entries) {
            Matcher parts = POPULATE_ENTRY.matcher(entry);
            parts.matches();
            String field = parts.group(1);
            String target = parts.group(2) != null ? parts.group(2) : target(projectId, field);
            Set<String> ids = new LinkedHashSet<>();
            for (Map<String, Object> view : views) {
                Object reference = reference(data(view), field);
                if (reference instanceof Collection<?> many) {
                    many.forEach(id -> ids.add(String.valueOf(id)));
                } else if (reference != null) {
                    ids.add(String.valueOf(reference));
                }
            }
            if (ids.isEmpty() || !APP_USERS.equals(target) && !permissions.mayRead(projectId, reader, target)) {
                continue;
            }
            Map<String, Object> byId = APP_USERS.equals(target) ? usersById(projectId, ids, visible)
                    : documentsById(projectId, target, ids);
            for (Map<String, Object> view : views) {
                Map<String, Object> data = new LinkedHashMap<>(data(view));
                Object reference = reference(data, field);
                if (reference instanceof Collection<?> many) {
                    // a user the reader may not see stays its id, in its place; none seen, the field stays as stored
                    List<Object> records = many.stream().map(id -> byId.get(String.valueOf(id)))
                            .filter(r -> r != null).toList();
                    if (!records.isEmpty() && records.stream().allMatch(r -> r instanceof String)) {
                        continue;
                    }
                    data.put(field, records);
                } else if (reference != null && !(byId.get(String.valueOf(reference)) instanceof String)) {
                    data.put(field, byId.get(String.valueOf(reference)));
                } else {
                    continue;
                }
                view.put("data", data);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> view) {
        return view.get("data") instanceof Map<?, ?> data ? (Map<String, Object>) data : Map.of();
    }

    /** manager_id, else manager_ids, else manager. */
    private static Object reference(Map<String, Object> data, String field) {
        if (data.get(field + "_id") != null) {
            return data.get(field + "_id");
        }
        if (data.get(field + "_ids") instanceof Collection<?> ids) {
            return ids;
        }
        Object own = data.get(field);
        return own instanceof String || own instanceof Number || own instanceof Collection<?> ? own : null;
    }

    private String target(UUID projectId, String field) {
        List<String> candidates = List.of(plural(field), field);
        List<String> existing = jdbc.queryForList("SELECT name FROM collections WHERE project_id = ? AND name = ANY (?)",
                String.class, projectId, candidates.toArray(String[]::new));
        return candidates.stream().filter(existing::contains).findFirst().orElse(APP_USERS);
    }

    /**
     * {@link AppUser#populatedRecord()}, the shape documents' populate gives app users, or what the reader may see
     * of it; a user it may not see maps to its own id (a string), as does any id when it may see no other user.
     */
    private Map<String, Object> usersById(UUID projectId, Set<String> ids, VisibleUsers visible) {
        boolean withDisabled = visible.reader().wholeProject();
        Map<String, Object> byId = new HashMap<>();
        if (!visible.othersVisible()) {
            ids.forEach(id -> byId.put(id, id));
        }
        jdbc.query("SELECT " + COLUMNS + " FROM app_users d WHERE d.project_id = ? AND d.id = ANY (?)"
                + (withDisabled ? "" : " AND NOT d.disabled"), this::managed, projectId, ids.toArray(String[]::new))
                .forEach(managed -> byId.put(managed.user().id(), visible.populated(managed.user())
                        .<Object>map(record -> record).orElse(managed.user().id())));
        return byId;
    }

    private Map<String, Object> documentsById(UUID projectId, String collection, Set<String> ids) {
        Map<String, Object> byId = new HashMap<>();
        jdbc.query("""
                SELECT id, data::text AS data, created_at, updated_at FROM documents
                WHERE project_id = ? AND collection = ? AND id = ANY (?)""", rs -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", rs.getString("id"));
            record.putAll(json.readValue(rs.getString("data"), MAP));
            record.put("created_at", AppUserService.instant(rs, "created_at").toString());
            record.put("updated_at", AppUserService.instant(rs, "updated_at").toString());
            byId.put(rs.getString("id"), record);
        }, projectId, collection, ids.toArray(String[]::new));
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

    private ManagedUser managed(ResultSet rs, int row) throws SQLException {
        return new ManagedUser(users.user(rs, row), rs.getBoolean("disabled"), AppUserService.instant(rs, "updated_at"));
    }
}
