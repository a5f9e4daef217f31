package io.cococloud.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads JSON only into values PostgreSQL stores exactly as sent. jsonb and text refuse NUL
 * (which surfaced as a 409 "duplicate?"), a lone surrogate becomes '?' on the way to UTF-8, and
 * a number beyond a double's range was kept as the string "Infinity" (or as 0 below it). Each
 * such value fails the read with an {@link UnstorableValueException} naming the field, so every
 * API answers 400 and {@code db} raises ValueError, before anything reaches SQL.
 *
 * <p>Applies to every string, map key and untyped value (documents, user data) the application's
 * mapper reads; {@code JsonNode} trees are left alone (the execution URLs hand the body to the
 * function as sent).
 */
public final class StorableJson {

    private StorableJson() {
    }

    public static JacksonModule module() {
        SimpleModule module = new SimpleModule("cococloud-storable-json");
        module.addDeserializer(String.class, new Text());
        module.addDeserializer(Object.class, new Untyped());
        module.addKeyDeserializer(String.class, new Keys());
        module.addKeyDeserializer(Object.class, new Keys());
        return module;
    }

    /** Why {@code text} cannot be stored as it is, or null when it can. */
    public static String problemWith(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character (\\u0000), which cannot be stored";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
            }
        }
        return null;
    }

    private static String checked(String text, JsonParser parser) {
        String problem = problemWith(text);
        if (problem != null) {
            throw new UnstorableValueException(parser, problem);
        }
        return text;
    }

    private static String checkedKey(String key, JsonParser parser) {
        String problem = problemWith(key);
        if (problem != null) {
            throw new UnstorableValueException(parser, "has a field name '" + printable(key) + "' that " + problem);
        }
        return key;
    }

    /** The text with what the problem is about spelled as an escape, and not too long to quote. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 60; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Every String property and list element. */
    private static final class Text extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            String text = super.deserialize(p, ctxt);
            return text == null ? null : checked(text, p);
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            return checkedKey(key, ctxt.getParser());
        }
    }

    /**
     * Untyped values (Map, List, String, Integer/Long/BigInteger, Double, Boolean, null), as
     * Jackson's own untyped reader makes them, with every string, key and number checked.
     */
    private static final class Untyped extends StdDeserializer<Object> {
        Untyped() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            return value(p, ctxt, p.currentToken());
        }

        private Object value(JsonParser p, DeserializationContext ctxt, JsonToken token) {
            return switch (token) {
                case START_OBJECT -> object(p, ctxt, p.nextName());
                case PROPERTY_NAME -> object(p, ctxt, p.currentName());
                case END_OBJECT -> new LinkedHashMap<String, Object>(); // {} met after its start was consumed
                case START_ARRAY -> array(p, ctxt);
                case VALUE_STRING -> checked(p.getString(), p);
                case VALUE_NUMBER_INT -> integer(p);
                case VALUE_NUMBER_FLOAT -> decimal(p);
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
                default -> ctxt.handleUnexpectedToken(Object.class, p);
            };
        }

        private Map<String, Object> object(JsonParser p, DeserializationContext ctxt, String firstKey) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key = firstKey; key != null; key = p.nextName()) {
                checkedKey(key, p);
                JsonToken token = p.nextToken();
                try {
                    map.put(key, value(p, ctxt, token));
                } catch (UnstorableValueException e) {
                    e.prependPath(map, key);
                    throw e;
                }
            }
            return map;
        }

        private List<Object> array(JsonParser p, DeserializationContext ctxt) {
            List<Object> list = new ArrayList<>();
            for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
                try {
                    list.add(value(p, ctxt, token));
                } catch (UnstorableValueException e) {
                    e.prependPath(list, list.size());
                    throw e;
                }
            }
            return list;
        }

        /** Integer, Long or BigInteger, as Jackson chooses; a BigInteger must still fit a double. */
        private static Object integer(JsonParser p) {
            Number number = p.getNumberValue();
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER && Double.isInfinite(number.doubleValue())) {
                throw new UnstorableValueException(p, "is a number outside the range of a double (about ±1.8e308)");
            }
            return number;
        }

        /** A double, refused when the text is beyond its range or so small it would be stored as 0. */
        private static Object decimal(JsonParser p) {
            double value = p.getDoubleValue();
            String text = p.getText();
            if (Double.isInfinite(value)) {
                throw new UnstorableValueException(p, "is " + abbreviated(text)
                        + ", a number outside the range of a double (about ±1.8e308)");
            }
            if (value == 0.0 && hasNonZeroDigit(text)) {
                throw new UnstorableValueException(p, "is " + abbreviated(text)
                        + ", a number too small for a double: it would be stored as 0");
            }
            return value;
        }

        private static boolean hasNonZeroDigit(String number) {
            for (int i = 0; i < number.length(); i++) {
                char c = number.charAt(i);
                if (c == 'e' || c == 'E') {
                    return false;
                }
                if (c >= '1' && c <= '9') {
                    return true;
                }
            }
            return false;
        }

        private static String abbreviated(String text) {
            return text.length() <= 40 ? text : text.substring(0, 37) + "...";
        }
    }
}
