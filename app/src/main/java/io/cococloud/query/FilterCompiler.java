package io.cococloud.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * Compiles the document filter language (docs/client-api.md#filters) into one SQL
 * condition over the documents table, alias {@code d}, with every value bound as a parameter.
 *
 * <p>A filter is a map of keys to values:
 * <ul>
 * <li>{@code status=published}: equality; {@code views_gte=100} or {@code views__gte=100}: an operator, one of
 * {@code eq ne gt gte lt lte contains startswith endswith in notin nin isnull exists}. A suffix after a single
 * underscore is an operator only when it is one of those names, so {@code user_id} is the field {@code user_id};
 * a word after a double underscore must be an operator ({@code views__between} is an error).
 * <li>{@code address.city=Paris}: a nested data field. {@code id}, {@code created_at} and {@code updated_at} are the
 * documents table's own columns.
 * <li>{@code [or]status=draft}, {@code [or]featured=true}: keys with the {@code [or]} prefix form one OR group, keys
 * with {@code [or:name]} one OR group per name; groups are ANDed with each other and with the other keys.
 * <li>{@code title__or__body_contains=x}: the operator applies to each field, and any of them may match.
 * </ul>
 *
 * <p>Values from URLs are strings, so a string also means what it can be read as: {@code "100"} is the text and
 * the number 100, {@code "true"} the text and the boolean, {@code "2024-01-15"} a time for comparisons. Typed
 * values from Python (int, float, bool, None, list) mean exactly their type.
 */
public final class FilterCompiler {

    /** The most elements an in / notin list may have: each one costs bound parameters. */
    static final int MAX_LIST = 1000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code [or]} or {@code [or:name]} at the start of a key. */
    private static final Pattern OR_GROUP = Pattern.compile("^\\[(?i:or)(?::([^\\]]+))?\\]");
    /** What follows a double underscore when it is meant as an operator. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

    // The grammar of numbers and times accepted in filter values. The SQL below accepts stored values by the
    // same grammar, so that "100" and 100 or "2024-01-15" mean the same thing on either side.
    private static final Pattern NUMBER =
            Pattern.compile("-?[0-9]{1,255}(\\.[0-9]{1,255})?([eE][-+]?[0-9]{1,3})?");
    private static final Pattern TIME = Pattern.compile("([0-9]{4}-[0-9]{2}-[0-9]{2})"
            + "(?:[Tt ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?)([Zz]|[-+][0-9]{2}(?::?[0-9]{2})?)?)?");

    // The same grammars as SQL regular expressions for stored strings. They are literals (never values) and
    // avoid '?' so that no JDBC layer can mistake part of them for a placeholder. The bounded repetitions
    // make every string they accept castable: numeric cannot overflow, and times are checked again with
    // pg_input_is_valid (the pattern lets through 2024-02-30).
    private static final String SQL_NUMBER =
            "'^-{0,1}[0-9]{1,255}([.][0-9]{1,255}){0,1}([eE][-+]{0,1}[0-9]{1,3}){0,1}$'";
    private static final String SQL_CLOCK = "[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9}){0,1}){0,1}";
    private static final String SQL_LOCAL_TIME =
            "'^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ]" + SQL_CLOCK + "){0,1}$'";
    private static final String SQL_ZONED_TIME =
            "'^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]" + SQL_CLOCK + "([Zz]|[-+][0-9]{2}(:{0,1}[0-9]{2}){0,1})$'";

    private FilterCompiler() {
    }

    /**
     * Compiles a filter map into a condition that the caller ANDs into
     * {@code SELECT ... FROM documents d WHERE d.project_id = ? AND d.collection = ? AND (<condition>)}.
     *
     * @param filters filter keys and their values (strings, numbers, booleans, lists, null); null or empty for none
     * @return the condition, {@link SqlCondition#TRUE} for no filters
     * @throws FilterException naming the key, field, operator or value that cannot be compiled
     */
    public static SqlCondition compile(Map<String, Object> filters) {
        return compile(filters == null ? null : filters.entrySet());
    }

    /**
     * Compiles filters that may repeat a key, as a query string can: {@code [or]status=a&[or]status=b} is one OR
     * group of both, {@code tags_contains=a&tags_contains=b} asks for both.
     */
    public static SqlCondition compile(Collection<? extends Map.Entry<String, ?>> filters) {
        if (filters == null || filters.isEmpty()) {
            return SqlCondition.TRUE;
        }
        List<SqlCondition> all = new ArrayList<>();
        Map<String, List<SqlCondition>> orGroups = new LinkedHashMap<>();
        for (Map.Entry<String, ?> filter : filters) {
            Key key = parseKey(filter.getKey());
            SqlCondition condition = SqlCondition.or(
                    key.fields().stream().map(field -> condition(field, key.operator(), filter.getValue())).toList());
            if (key.orGroup() == null) {
                all.add(condition);
            } else {
                orGroups.computeIfAbsent(key.orGroup(), name -> new ArrayList<>()).add(condition);
            }
        }
        orGroups.values().forEach(group -> all.add(SqlCondition.or(group)));
        return SqlCondition.and(all);
    }

    // ------------------------------------------------------------------------------------------- keys

    /** The operators of the filter language. */
    enum Operator {
        EQ, NE, GT(">"), GTE(">="), LT("<"), LTE("<="), CONTAINS, STARTSWITH, ENDSWITH, IN, NOTIN, ISNULL, EXISTS;

        /** The SQL comparison, for gt, gte, lt and lte. */
        final String symbol;

        Operator() {
            this(null);
        }

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** The operator called {@code name} as written in a key ({@code nin} is {@code notin}), if any. */
        static Optional<Operator> named(String name) {
            if (name.equals("nin")) {
                return Optional.of(NOTIN);
            }
            return Arrays.stream(values()).filter(operator -> operator.toString().equals(name)).findFirst();
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A filter key taken apart.
     *
     * @param orGroup  null for a key outside any OR group, "" for {@code [or]}, the name for {@code [or:name]}
     * @param fields   the fields, more than one for {@code a__or__b}
     * @param operator the operator, {@link Operator#EQ} when the key names none
     */
    record Key(String orGroup, List<FieldPath> fields, Operator operator) {
    }

    /** Takes a key apart: OR group prefix, then fields separated by {@code __or__}, then the operator suffix. */
    static Key parseKey(String key) {
        if (key == null) {
            throw new FilterException("invalid field name 'None'");
        }
        String orGroup = null;
        String rest = key;
        Matcher group = OR_GROUP.matcher(key);
        if (group.lookingAt()) {
            orGroup = group.group(1) == null ? "" : group.group(1);
            rest = key.substring(group.end());
        }
        // The operator belongs to the last field and applies to all of them: a__or__b_contains.
        List<String> names = new ArrayList<>(Arrays.asList(rest.split("__or__", -1)));
        String last = names.removeLast();
        Operator operator = Operator.EQ;
        int doubleUnderscore = last.lastIndexOf("__");
        int underscore = last.lastIndexOf('_');
        if (doubleUnderscore > 0 && WORD.matcher(last.substring(doubleUnderscore + 2)).matches()) {
            String suffix = last.substring(doubleUnderscore + 2);
            operator = Operator.named(suffix).orElseThrow(() -> new FilterException("unknown operator '" + suffix
                    + "' in filter '" + key + "'; the operators are " + operatorNames()));
            last = last.substring(0, doubleUnderscore);
        } else if (underscore > 0 && Operator.named(last.substring(underscore + 1)).isPresent()) {
            operator = Operator.named(last.substring(underscore + 1)).orElseThrow();
            last = last.substring(0, underscore);
        }
        names.add(last);
        return new Key(orGroup, names.stream().map(FieldPath::parse).toList(), operator);
    }

    /**
     * The fields a filter key reads ({@code [or]a__or__b_contains} reads a and b), for callers that allow filters
     * only on some fields.
     *
     * @throws FilterException as {@link #compile(Map)} would for the key
     */
    public static List<FieldPath> fields(String key) {
        return parseKey(key).fields();
    }

    private static String operatorNames() {
        return String.join(", ", Arrays.stream(Operator.values()).map(Operator::toString).toList()) + ", nin";
    }

    // ------------------------------------------------------------------------------------------- conditions

    private static SqlCondition condition(FieldPath field, Operator operator, Object given) {
        Value value = Value.of(given, field, operator);
        return switch (operator) {
            case EQ -> equality(field, value);
            // Negating containment (never NULL) keeps documents without the field: absent is "not equal".
            case NE -> value.isNull() ? isNull(field, false) : equality(field, value).negate();
            case GT, GTE, LT, LTE -> comparison(field, operator, value);
            case CONTAINS, STARTSWITH, ENDSWITH -> textMatch(field, operator, value);
            case IN -> membership(field, operator, value);
            case NOTIN -> membership(field, operator, value).negate();
            case ISNULL -> isNull(field, value.flag(field, operator));
            case EXISTS -> exists(field, value.flag(field, operator));
        };
    }

    /**
     * Equality. On data fields it is containment ({@code d.data @> '{"status": "draft"}'}), which the GIN index
     * on data serves; a string that is also a number or boolean ORs one containment per meaning. Equality with
     * None means absent or null; with a list or object, the whole stored value equals it.
     */
    private static SqlCondition equality(FieldPath field, Value value) {
        if (value.isNull()) {
            return isNull(field, true);
        }
        if (field.isTimeColumn()) {
            return SqlCondition.of(field.column() + " = ?", value.time(field, Operator.EQ));
        }
        if (field.isColumn()) {
            return SqlCondition.of("d.id = ?", value.text(field, Operator.EQ));
        }
        if (!value.isScalar()) {
            return SqlCondition.of(field.json() + " = ?::jsonb", json(value.given()));
        }
        return SqlCondition.or(value.meanings().stream()
                .map(meaning -> SqlCondition.of("d.data @> ?::jsonb", json(field.nest(meaning))))
                .toList());
    }

    /**
     * gt, gte, lt, lte: numeric when the value is a number (against stored numbers and numeric strings), as time
     * when it is an ISO-8601 date (against stored ISO strings), else as text against stored strings. Stored
     * values of another kind never match, and never cause a cast error: every cast sits behind a CASE guard.
     */
    private static SqlCondition comparison(FieldPath field, Operator operator, Value value) {
        String symbol = " " + operator.symbol + " ";
        if (field.isTimeColumn()) {
            return SqlCondition.of(field.column() + symbol + "?", value.time(field, operator));
        }
        if (field.isColumn()) {
            return SqlCondition.of("d.id" + symbol + "?", value.text(field, operator));
        }
        value.requireScalar(field, operator);
        if (value.number() != null) {
            return SqlCondition.of(storedNumber(field) + symbol + "?::numeric", value.number());
        }
        if (value.time() != null) {
            return SqlCondition.of(storedTime(field) + symbol + "?::timestamptz", value.time());
        }
        if (value.given() instanceof String text) {
            return SqlCondition.of("jsonb_typeof(" + field.json() + ") = 'string' AND " + field.text() + symbol + "?",
                    text);
        }
        throw new FilterException("operator '" + operator + "' on '" + field.name()
                + "' needs a number, a date or text, not " + value.given());
    }

    /**
     * contains, startswith, endswith: case-insensitive on stored strings. On arrays, contains means "has the
     * element" (containment, as equality, so {@code tags_contains=5} finds 5 and "5"), startswith and endswith
     * mean "has a string element that starts / ends so".
     */
    private static SqlCondition textMatch(FieldPath field, Operator operator, Value value) {
        if (field.isTimeColumn()) {
            throw new FilterException("operator '" + operator + "' does not apply to '" + field.name()
                    + "'; compare it with gt, gte, lt or lte");
        }
        // ILIKE's escape character is the backslash; escaping it and the wildcards makes the value literal.
        String literal = value.text(field, operator).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        String pattern = switch (operator) {
            case STARTSWITH -> literal + "%";
            case ENDSWITH -> "%" + literal;
            default -> "%" + literal + "%";
        };
        if (field.isColumn()) {
            return SqlCondition.of("d.id ILIKE ?", pattern);
        }
        SqlCondition inText = SqlCondition.of(
                "jsonb_typeof(" + field.json() + ") = 'string' AND " + field.text() + " ILIKE ?", pattern);
        SqlCondition inArray;
        if (operator == Operator.CONTAINS) {
            inArray = SqlCondition.or(value.meanings().stream()
                    .map(meaning -> SqlCondition.of("d.data @> ?::jsonb", json(field.nest(List.of(meaning)))))
                    .toList());
        } else {
            // jsonb_array_elements raises an error on anything but an array, so it gets an empty one instead.
            inArray = SqlCondition.of("EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
                    + field.json() + ") = 'array' THEN " + field.json() + " ELSE '[]'::jsonb END) AS element"
                    + " WHERE jsonb_typeof(element.value) = 'string' AND element.value #>> '{}' ILIKE ?)", pattern);
        }
        return SqlCondition.or(List.of(inText, inArray));
    }

    /** in / notin (negated by the caller): equality with any element of a list or a comma-separated string. */
    private static SqlCondition membership(FieldPath field, Operator operator, Value value) {
        List<?> elements = switch (value.given()) {
            case Collection<?> list -> new ArrayList<>(list); // may hold None: in=[None, "x"]
            // "a, b" is ["a", "b"]: spaces after commas are how people write lists. "" is the empty list.
            case String text -> text.isEmpty() ? List.of()
                    : Arrays.stream(text.split(",", -1)).map(String::trim).toList();
            case null -> throw new FilterException("operator '" + operator + "' on '" + field.name()
                    + "' needs a list or a comma-separated string, not None");
            default -> {
                value.requireScalar(field, operator);
                yield List.of(value.given());
            }
        };
        if (elements.size() > MAX_LIST) {
            throw new FilterException("operator '" + operator + "' on '" + field.name() + "' takes at most "
                    + MAX_LIST + " values, not " + elements.size());
        }
        List<SqlCondition> any = new ArrayList<>();
        for (Object element : elements) {
            Value one = Value.of(element, field, operator);
            one.requireScalarOrNull(field, operator);
            any.add(equality(field, one));
        }
        return SqlCondition.or(any);
    }

    /** isnull: true means absent or JSON null, false means present and not null. Columns are never null. */
    private static SqlCondition isNull(FieldPath field, boolean isNull) {
        if (field.isColumn()) {
            return isNull ? SqlCondition.FALSE : SqlCondition.TRUE;
        }
        String json = field.json();
        return SqlCondition.of(isNull ? json + " IS NULL OR jsonb_typeof(" + json + ") = 'null'"
                : json + " IS NOT NULL AND jsonb_typeof(" + json + ") <> 'null'");
    }

    /** exists: true means the key is present (even when null), false means absent. Columns always exist. */
    private static SqlCondition exists(FieldPath field, boolean exists) {
        if (field.isColumn()) {
            return exists ? SqlCondition.TRUE : SqlCondition.FALSE;
        }
        return SqlCondition.of(field.json() + (exists ? " IS NOT NULL" : " IS NULL"));
    }

    /**
     * The stored value as numeric when it is a JSON number or a string in the number grammar, else NULL. Declared
     * indexes repeat it ({@link FieldExpressions#index}), so that they serve the compiled comparisons.
     */
    static String storedNumber(FieldPath field) {
        String json = field.json();
        return "(CASE WHEN jsonb_typeof(" + json + ") = 'number' THEN " + json + "::numeric"
                + " WHEN jsonb_typeof(" + json + ") = 'string' AND " + field.text() + " ~ " + SQL_NUMBER
                + " THEN " + field.text() + "::numeric END)";
    }

    /**
     * The stored value as timestamptz when it is an ISO-8601 date or date-time string, else NULL. Strings
     * without an offset are read as UTC (as filter values are), whatever the session's time zone.
     */
    private static String storedTime(FieldPath field) {
        String text = field.text();
        return "(CASE WHEN " + text + " ~ " + SQL_LOCAL_TIME + " AND pg_input_is_valid(" + text + ", 'timestamp')"
                + " THEN " + text + "::timestamp AT TIME ZONE 'UTC'"
                + " WHEN " + text + " ~ " + SQL_ZONED_TIME + " AND pg_input_is_valid(" + text + ", 'timestamptz')"
                + " THEN " + text + "::timestamptz END)";
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    // ------------------------------------------------------------------------------------------- values

    /**
     * A filter value and what it can be read as.
     *
     * @param given  the value as given: String, Boolean, a Number (as BigDecimal), a Collection, a Map or null
     * @param number the value as a number: a typed number, or a string in the number grammar
     * @param bool   the value as a boolean: a typed boolean, or the string "true" / "false" in any case
     * @param time   the value as a time, in UTC: a string that is an ISO-8601 date or date-time
     */
    record Value(Object given, BigDecimal number, Boolean bool, OffsetDateTime time) {

        static Value of(Object given, FieldPath field, Operator operator) {
            return switch (given) {
                case null -> new Value(null, null, null, null);
                case String text -> new Value(text, parseNumber(text), parseBoolean(text), parseTime(text));
                case Boolean bool -> new Value(bool, null, bool, null);
                case Number number -> {
                    BigDecimal decimal = decimal(number, field, operator);
                    yield new Value(decimal, decimal, null, null);
                }
                case Collection<?> list -> new Value(list, null, null, null);
                case Map<?, ?> object -> new Value(object, null, null, null);
                default -> throw new FilterException("operator '" + operator + "' on '" + field.name()
                        + "' cannot take a value of type " + given.getClass().getSimpleName());
            };
        }

        boolean isNull() {
            return given == null;
        }

        boolean isScalar() {
            return !(given instanceof Collection || given instanceof Map);
        }

        /** The JSON values that equality accepts: the value itself, and for a string its other readings. */
        List<Object> meanings() {
            List<Object> meanings = new ArrayList<>(List.of(given));
            if (given instanceof String) {
                if (number != null) {
                    meanings.add(number);
                }
                if (bool != null) {
                    meanings.add(bool);
                }
            }
            return meanings;
        }

        void requireScalar(FieldPath field, Operator operator) {
            if (isNull()) {
                throw new FilterException("operator '" + operator + "' on '" + field.name() + "' needs a value, not None");
            }
            requireScalarOrNull(field, operator);
        }

        void requireScalarOrNull(FieldPath field, Operator operator) {
            if (!isScalar()) {
                throw new FilterException("operator '" + operator + "' on '" + field.name()
                        + "' needs a single value, not " + (given instanceof Map ? "an object" : "a list"));
            }
        }

        /** The value as text, for matching text and the id column. */
        String text(FieldPath field, Operator operator) {
            requireScalar(field, operator);
            return given instanceof BigDecimal decimal ? decimal.toPlainString() : given.toString();
        }

        /** The value as a time, for the timestamp columns, which compare with nothing else. */
        OffsetDateTime time(FieldPath field, Operator operator) {
            requireScalar(field, operator);
            if (time == null) {
                throw new FilterException("operator '" + operator + "' on '" + field.name()
                        + "' needs an ISO-8601 date such as 2024-01-15 or 2024-01-15T10:00:00Z, not '" + given + "'");
            }
            return time;
        }

        /** The value as the true / false that isnull and exists take. */
        boolean flag(FieldPath field, Operator operator) {
            if (bool == null) {
                throw new FilterException("operator '" + operator + "' on '" + field.name()
                        + "' needs true or false, not '" + given + "'");
            }
            return bool;
        }

        private static BigDecimal parseNumber(String text) {
            return NUMBER.matcher(text).matches() ? new BigDecimal(text) : null;
        }

        private static Boolean parseBoolean(String text) {
            return text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }

        /** A date, or a date-time with or without an offset (then UTC), in UTC; null when not ISO-8601. */
        private static OffsetDateTime parseTime(String text) {
            Matcher parts = TIME.matcher(text);
            if (!parts.matches()) {
                return null;
            }
            try {
                LocalDate date = LocalDate.parse(parts.group(1));
                LocalTime clock = parts.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(parts.group(2));
                ZoneOffset offset = parts.group(3) == null ? ZoneOffset.UTC
                        : ZoneOffset.of(parts.group(3).toUpperCase(Locale.ROOT));
                return OffsetDateTime.of(date, clock, offset).withOffsetSameInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                return null; // looks like a date but is none, such as 2024-02-30: it stays text
            }
        }

        /** A typed number as BigDecimal, refusing what JSON or PostgreSQL's numeric cannot hold. */
        private static BigDecimal decimal(Number number, FieldPath field, Operator operator) {
            BigDecimal decimal = switch (number) {
                case BigDecimal exact -> exact;
                case BigInteger integer -> new BigDecimal(integer);
                case Double real when Double.isFinite(real) -> BigDecimal.valueOf(real);
                case Float real when Float.isFinite(real) -> new BigDecimal(real.toString());
                case Double real -> null;
                case Float real -> null;
                default -> BigDecimal.valueOf(number.longValue());
            };
            if (decimal == null || Math.abs(decimal.precision() - decimal.scale()) > 1000 || decimal.scale() > 1000) {
                throw new FilterException("operator '" + operator + "' on '" + field.name()
                        + "' cannot compare with the number " + number);
            }
            return decimal;
        }
    }
}
