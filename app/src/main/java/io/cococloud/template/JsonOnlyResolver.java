package io.cococloud.template;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.lib.Importable;
import com.hubspot.jinjava.lib.filter.Filter;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;

/**
 * Jinjava's resolver with method calls narrowed to what a Jinja2 template may call on JSON data. Jinjava
 * otherwise lets a template call every public Java method of a value ({@code map.clear()},
 * {@code 'x'.repeat(2000000000)}). Allowed: the Python methods of dicts and lists that Jinjava provides, a few
 * Python string methods (mapped here, since templates see Java strings), and Jinjava's own objects (filters,
 * tests, {@code loop.cycle}). Also enforced here, because every filter call passes through {@link #invoke}: the
 * size arguments of filters that allocate by them ({@code center(2000000000)}), and the length of every string a
 * call returns. Refusals are ELExceptions: Jinjava swallows an IllegalArgumentException as "method not found".
 */
final class JsonOnlyResolver extends ELResolver {

    static final int MAX_SIZE_ARGUMENT = 10_000;

    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get", "update");
    private static final Set<String> LIST_METHODS = Set.of("append", "insert", "extend", "pop", "count", "reverse",
            "copy", "index");
    private static final Set<String> STRING_METHODS = Set.of("upper", "lower", "strip", "lstrip", "rstrip",
            "startswith", "endswith", "replace", "split", "find", "capitalize", "title");
    /** Filters whose numeric arguments are sizes of what they build. */
    private static final Set<String> SIZED_FILTERS = Set.of("center", "indent", "batch", "slice", "wordwrap");
    /** A width or precision of five or more digits in a printf pattern ({@code '%999999999s'|format(x)}). */
    private static final Pattern HUGE_FORMAT_WIDTH = Pattern.compile("%[^a-zA-Z%]*\\d{5,}");

    private final ELResolver delegate;
    private final long maxStringLength;

    JsonOnlyResolver(ELResolver delegate, long maxStringLength) {
        this.delegate = delegate;
        this.maxStringLength = maxStringLength;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        String name = String.valueOf(method);
        Object result;
        if (base instanceof String text) {
            if (!STRING_METHODS.contains(name)) {
                throw notAllowed(base, name);
            }
            context.setPropertyResolved(true);
            try {
                result = PythonStrings.call(text, name, params == null ? new Object[0] : params);
            } catch (IllegalArgumentException e) {
                throw new ELException(e.getMessage());
            }
        } else if (base instanceof Map<?, ?> && !DICT_METHODS.contains(name)
                || base instanceof List<?> && !LIST_METHODS.contains(name)) {
            throw notAllowed(base, name);
        } else if (base instanceof Map<?, ?> || base instanceof List<?> || base instanceof Importable
                || isJinjavaObject(base)) {
            if (base instanceof Filter filter && name.equals("filter")) {
                checkFilterArguments(filter.getName(), params);
            }
            result = delegate.invoke(context, base, method, paramTypes, params);
        } else {
            throw notAllowed(base, name);
        }
        if (result instanceof CharSequence text && text.length() > maxStringLength) {
            throw new OutputTooBigException(maxStringLength, text.length());
        }
        return result;
    }

    private static boolean isJinjavaObject(Object base) {
        return base != null && base.getClass().getName().startsWith("com.hubspot.jinjava.");
    }

    private static void checkFilterArguments(String filter, Object[] params) {
        // Jinjava calls filters as filter(value, interpreter, Object[] args, Map kwargs).
        if (params == null || params.length < 4) {
            return;
        }
        List<Object> arguments = new ArrayList<>();
        if (params[2] instanceof Object[] positional) {
            arguments.addAll(Arrays.asList(positional));
        }
        if (params[3] instanceof Map<?, ?> named) {
            arguments.addAll(named.values());
        }
        if (SIZED_FILTERS.contains(filter)) {
            for (Object argument : arguments) {
                if (size(argument) > MAX_SIZE_ARGUMENT) {
                    throw new ELException("the filter " + filter + " takes sizes up to "
                            + MAX_SIZE_ARGUMENT + ", not " + argument);
                }
            }
        }
        if (filter.equals("format") && params[0] != null && HUGE_FORMAT_WIDTH.matcher(params[0].toString()).find()) {
            throw new ELException("the filter format takes widths up to " + MAX_SIZE_ARGUMENT);
        }
    }

    private static double size(Object argument) {
        if (argument instanceof Number number) {
            return Math.abs(number.doubleValue());
        }
        try {
            return argument == null ? 0 : Math.abs(Double.parseDouble(argument.toString().trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static MethodNotFoundException notAllowed(Object base, String method) {
        String what = base instanceof String ? "a string" : base instanceof Map<?, ?> ? "a dict"
                : base instanceof List<?> ? "a list" : base == null ? "None" : "this value";
        return new MethodNotFoundException("Templates cannot call " + method + "() on " + what
                + "; use a filter, or the Python methods of dicts (" + String.join(", ", DICT_METHODS.stream()
                        .sorted().toList()) + "), lists (" + String.join(", ", LIST_METHODS.stream().sorted()
                                .toList()) + ") and strings (" + String.join(", ", STRING_METHODS.stream().sorted()
                                        .toList()) + ")");
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return delegate.getValue(context, base, property);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return delegate.isReadOnly(context, base, property);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }
}
