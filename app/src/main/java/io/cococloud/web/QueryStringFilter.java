package io.cococloud.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Query strings of the client and admin APIs must decode to text that can be used and stored:
 * percent-escapes that are not UTF-8 ({@code ?limit=%ff}) made Tomcat's parameter parsing fail
 * with a 500, and a NUL ({@code ?title=%00}) reached PostgreSQL, which refuses it. Both are
 * answered here with a 400 problem naming the parameter, before anything reads parameters.
 * Execution URLs are left alone: the function gets its query as sent (decoded leniently).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class QueryStringFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    QueryStringFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getQueryString() == null || RequestLimitsFilter.isExecutionUrl(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = problemWith(request.getQueryString());
        if (problem != null) {
            problems.write(request, response, ProblemType.MALFORMED_REQUEST, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    /** What is wrong with the first bad parameter, or null when every one decodes to usable text. */
    static String problemWith(String query) {
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String name = decode(rawName);
            String label = "Query parameter '" + (name == null || name.indexOf(0) >= 0 ? rawName : name) + "'";
            if (name == null) {
                return label + " is not valid percent-encoded UTF-8 in its name";
            }
            if (name.indexOf(0) >= 0) {
                return label + " has a NUL character (%00) in its name";
            }
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            if (value == null) {
                return label + " is not valid percent-encoded UTF-8";
            }
            if (value.indexOf(0) >= 0) {
                return label + " contains a NUL character (%00)";
            }
        }
        return null;
    }

    /** The decoded text, or null when an escape is malformed or the bytes are not UTF-8. */
    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(literal, 0, literal.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
