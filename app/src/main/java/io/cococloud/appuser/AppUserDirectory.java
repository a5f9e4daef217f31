package io.cococloud.appuser;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.util.MultiValueMap;

import io.cococloud.query.FieldPath;
import io.cococloud.query.FilterCompiler;
import io.cococloud.query.FilterException;
import io.cococloud.query.SqlCondition;
import io.cococloud.error.InvalidInputException;

/**
 * Lists and finds a project's app users for the admin API and the client API's
 * {@code GET /auth-collections/users}, with the document filter language of the client API
 * (docs/client-api.md#filters) over the users' {@code data}, plus the account fields:
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
    private static final String COLUMNS = AppUserService.COLUMNS.replace("u.", "d.") + ", d.disabled, d.updated_at";

    private final JdbcClient jdbc;
    private final AppUserService users;
    private final UserDataPopulator populator;

    AppUserDirectory(JdbcClient jdbc, AppUserService users, UserDataPopulator populator) {
        this.jdbc = jdbc;
        this.users = users;
        this.populator = populator;
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
                    throw new InvalidInputException("filter '" + key + "' is given " + values.size()
                            + " times; give each filter once");
                }
                filters.put(key, values.getFirst());
            });
            int limit = integer(params, "limit", DEFAULT_LIMIT);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
            int offset = integer(params, "offset", 0);
            if (offset < 0) {
                throw new InvalidInputException("offset must not be negative, not " + offset);
            }
            String order = params.getFirst("order");
            if (order != null && !order.isBlank() && !order.strip().equalsIgnoreCase("asc")
                    && !order.strip().equalsIgnoreCase("desc")) {
                throw new InvalidInputException("order must be asc or desc, not '" + order + "'");
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
                throw new InvalidInputException(name + " must be a whole number, not '" + value + "'");
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
                throw new InvalidInputException(e.getMessage());
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

        /** The answer: this page with the given views of the users. */
        View view(List<Map<String, Object>> views) {
            return new View(views, total, limit, offset, hasMore());
        }

        /** {@code {data, total, limit, offset, has_more}}; a user's view is a map, its fields depend on the reader. */
        record View(List<Map<String, Object>> data, long total, int limit, int offset,
                @JsonProperty("has_more") boolean hasMore) {}
    }

    /** A page of the project's users; disabled users only when {@code withDisabled} (the admin view). */
    Page list(UUID projectId, Query query, boolean withDisabled) {
        SqlCondition where = where(query.filters());
        List<Object> params = new ArrayList<>(List.of(projectId));
        params.addAll(where.params());
        String from = " FROM app_users d WHERE d.project_id = ? AND (" + where.sql() + ")"
                + (withDisabled ? "" : " AND NOT d.disabled");
        Long total = jdbc.sql("SELECT count(*)" + from).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        String orderBy = orderBy(query.sort(), query.order(), pageParams);
        pageParams.add(query.limit());
        pageParams.add(query.offset());
        List<ManagedUser> found = jdbc.sql("SELECT " + COLUMNS + from + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?")
                .params(pageParams).query(this::managed).list();
        return new Page(found, total == null ? 0 : total, query.limit(), query.offset());
    }

    /** One user of the project; a disabled one only when {@code withDisabled}. */
    Optional<ManagedUser> find(UUID projectId, String id, boolean withDisabled) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_users d WHERE d.project_id = ? AND d.id = ?"
                + (withDisabled ? "" : " AND NOT d.disabled")).params(projectId, id).query(this::managed).optional();
    }

    // ------------------------------------------------------------------------------------------- filters

    /** The condition of the filters over alias {@code d}: account fields here, data fields by the filter language. */
    private static SqlCondition where(Map<String, Object> filters) {
        List<SqlCondition> conditions = new ArrayList<>();
        Map<String, Object> dataFilters = new LinkedHashMap<>();
        filters.forEach((key, value) -> {
            Matcher account = ACCOUNT_FIELD.matcher(key);
            if (account.matches()) {
                conditions.add(accountCondition(account.group(1), account.group(2) == null ? "eq" : account.group(2),
                        value));
            } else {
                dataFilters.put(DATA_PREFIX.matcher(key).replaceAll("$1"), value);
            }
        });
        try {
            // the compiler writes over alias d with columns id, created_at, updated_at and data:
            // app_users has the documents table's names for them, so the whole language applies
            conditions.add(FilterCompiler.compile(dataFilters));
        } catch (FilterException e) {
            throw new InvalidInputException(e.getMessage());
        }
        return SqlCondition.and(conditions);
    }

    private static SqlCondition accountCondition(String field, String operator, Object value) {
        String text = value == null ? "" : String.valueOf(value).strip();
        switch (field) {
            case "email" -> {
                switch (operator) {
                    case "eq", "ne" -> {
                        return SqlCondition.of("lower(d.email) " + (operator.equals("eq") ? "=" : "<>") + " lower(?)", text);
                    }
                    case "contains", "startswith", "endswith" -> {
                        // ILIKE's escape character is the backslash; escaping it and the wildcards makes the value literal
                        String literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                        return SqlCondition.of("d.email ILIKE ?", switch (operator) {
                            case "startswith" -> literal + "%";
                            case "endswith" -> "%" + literal;
                            default -> "%" + literal + "%";
                        });
                    }
                    case "in" -> {
                        return SqlCondition.of("lower(d.email) = ANY (?)", (Object) list(text).stream()
                                .map(e -> e.toLowerCase(Locale.ROOT)).toArray(String[]::new));
                    }
                    default -> throw unsupported(operator, field, "eq, ne, contains, startswith, endswith, in");
                }
            }
            case "role", "roles" -> {
                switch (operator) {
                    case "eq", "contains", "ne" -> {
                        return SqlCondition.of((operator.equals("ne") ? "NOT " : "") + "(? = ANY (d.roles))", text);
                    }
                    case "in", "notin", "nin" -> {
                        return SqlCondition.of((operator.equals("in") ? "" : "NOT ") + "(d.roles && ?::text[])",
                                (Object) list(text).toArray(String[]::new));
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
                    throw new InvalidInputException(field + " must be true or false, not '" + value + "'");
                }
                return SqlCondition.of((field.equals("disabled") ? "d.disabled" : "(d.email_verified_at IS NOT NULL)")
                        + " = ?", Boolean.parseBoolean(text) == operator.equals("eq"));
            }
        }
    }

    /** "a, b" is ["a", "b"], as in the document filters. */
    private static List<String> list(String text) {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    private static InvalidInputException unsupported(String operator, String field, String supported) {
        return new InvalidInputException("operator '" + operator + "' does not apply to " + field + "; use " + supported);
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
                    throw new InvalidInputException("sort must name a field: " + e.getMessage());
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
                throw new InvalidInputException("populate entry '" + entry + "' must be a data field name, optionally"
                        + " field:collection (nested paths are not supported on users)");
            }
        }
        return entries;
    }

    /**
     * Replaces references in the users' {@code data} with the records they name, under the reference's base name,
     * by the one populate there is, documents' (see {@link UserDataPopulator}): the reference is
     * {@code data.manager_id} (one id), {@code data.manager_ids} (a list) or {@code data.manager}; the target is
     * {@code manager:collection}, else a collection named {@code managers} or {@code manager}, else the project's
     * app users. It reads as the reader of {@code visible} may: a collection whose read rule the reader does not
     * pass, and a user it may not see, leave the reference as stored (no error).
     *
     * @param views   user views whose {@code data} is replaced by a populated copy
     * @param visible what the reader may see of users; the project itself also sees disabled users
     */
    void populate(UUID projectId, List<Map<String, Object>> views, List<String> entries, VisibleUsers visible) {
        if (entries.isEmpty()) {
            return;
        }
        List<Map<String, Object>> data = views.stream().map(view -> (Map<String, Object>) new LinkedHashMap<>(
                view.get("data") instanceof Map<?, ?> stored ? stored : Map.of())).toList();
        populator.populate(projectId, data, entries, visible);
        for (int i = 0; i < views.size(); i++) {
            if (!data.get(i).equals(views.get(i).get("data"))) {
                views.get(i).put("data", data.get(i));
            }
        }
    }

    private ManagedUser managed(ResultSet rs, int row) throws SQLException {
        return new ManagedUser(users.user(rs, row), rs.getBoolean("disabled"), AppUserService.instant(rs, "updated_at"));
    }
}
