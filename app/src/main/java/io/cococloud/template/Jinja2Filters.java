package io.cococloud.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * The filters whose Jinjava versions answer differently from Jinja2 3.1 for inputs the reference documents use,
 * rewritten after Jinja2's own definitions (jinja2/filters.py) so templates written for Jinja2 render the same.
 */
final class Jinja2Filters {

    private Jinja2Filters() {
    }

    static List<Filter> all() {
        return List.of(new Truncate(), new Title(), new Round());
    }

    /**
     * {@code truncate(length=255, killwords=False, end='...', leeway=5)}: a string up to {@code length + leeway}
     * stays whole; a longer one is cut to {@code length - len(end)} characters, at the last space unless
     * {@code killwords}, and gets {@code end}. (Jinjava has no leeway and ignores killwords.)
     */
    static final class Truncate implements AdvancedFilter {
        @Override
        public String getName() {
            return "truncate";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            String text = value == null ? "" : value.toString();
            int length = (int) integer(arg(args, kwargs, 0, "length"), 255);
            boolean killwords = truthy(arg(args, kwargs, 1, "killwords"));
            Object endArg = arg(args, kwargs, 2, "end");
            String end = endArg == null ? "..." : endArg.toString();
            long leeway = integer(arg(args, kwargs, 3, "leeway"), 5);
            int endLength = end.codePointCount(0, end.length());
            if (length < endLength) {
                throw new IllegalArgumentException("truncate: expected length >= " + endLength + ", got " + length);
            }
            if (leeway < 0) {
                throw new IllegalArgumentException("truncate: expected leeway >= 0, got " + leeway);
            }
            int characters = text.codePointCount(0, text.length());
            if (characters <= length + leeway) {
                return text;
            }
            String head = text.substring(0, text.offsetByCodePoints(0, length - endLength));
            if (killwords) {
                return head + end;
            }
            int space = head.lastIndexOf(' ');
            return (space < 0 ? head : head.substring(0, space)) + end;
        }
    }

    /** {@code title}: each word starts upper case, the rest lower; words begin after whitespace, - ( { [ or <. */
    static final class Title implements Filter {
        private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)");

        @Override
        public String getName() {
            return "title";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
            if (value == null) {
                return "";
            }
            String text = value.toString();
            StringBuilder out = new StringBuilder(text.length());
            Matcher separators = WORD_BEGINNING.matcher(text);
            int at = 0;
            while (separators.find()) {
                word(text.substring(at, separators.start()), out);
                out.append(separators.group());
                at = separators.end();
            }
            word(text.substring(at), out);
            return out.toString();
        }

        private static void word(String word, StringBuilder out) {
            if (!word.isEmpty()) {
                int first = word.codePointAt(0);
                out.appendCodePoint(Character.toUpperCase(first)).append(word.substring(Character.charCount(first))
                        .toLowerCase());
            }
        }
    }

    /**
     * {@code round(precision=0, method='common')}: Python's {@code round} (half to even on the exact binary
     * value, an int stays an int, a float stays a float, so {@code 3.7|round} is {@code 4.0}), or {@code ceil} /
     * {@code floor} at that precision. Jinjava rounds half up and prints {@code 4}.
     */
    static final class Round implements AdvancedFilter {
        @Override
        public String getName() {
            return "round";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            int precision = (int) integer(arg(args, kwargs, 0, "precision"), 0);
            Object methodArg = arg(args, kwargs, 1, "method");
            String method = methodArg == null ? "common" : methodArg.toString();
            if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
                throw new IllegalArgumentException("round: method must be common, ceil or floor");
            }
            if (precision < -300 || precision > 300) {
                throw new IllegalArgumentException("round: precision must be between -300 and 300");
            }
            Number number = number(value);
            if (method.equals("common") && (number instanceof Integer || number instanceof Long
                    || number instanceof BigInteger)) {
                if (precision >= 0) {
                    return number;
                }
                return new BigDecimal(number.toString()).setScale(precision, RoundingMode.HALF_EVEN)
                        .toBigInteger();
            }
            double x = number.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return x;
            }
            RoundingMode mode = switch (method) {
                case "ceil" -> RoundingMode.CEILING;
                case "floor" -> RoundingMode.FLOOR;
                default -> RoundingMode.HALF_EVEN;
            };
            return new BigDecimal(x).setScale(precision, mode).doubleValue();
        }

        private static Number number(Object value) {
            if (value instanceof Number number) {
                return number;
            }
            try {
                return value == null ? 0 : Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("round: " + value + " is not a number");
            }
        }
    }

    static Object arg(Object[] args, Map<String, Object> kwargs, int position, String name) {
        if (kwargs != null && kwargs.containsKey(name)) {
            return kwargs.get(name);
        }
        return args != null && args.length > position ? args[position] : null;
    }

    static long integer(Object value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return new BigDecimal(value.toString().trim()).longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + value + "'");
        }
    }

    static boolean truthy(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return value != null && value.toString().equalsIgnoreCase("true");
    }
}
