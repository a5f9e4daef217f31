package io.cococloud.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * How many requests this node is working on now, on any surface: those whose handling is under way on a thread (an
 * asynchronous answer, such as a realtime stream, counts only while its request is handled, not while it stays
 * open). The Python runtime asks it before a thread busy-waits: with as many requests in flight as the node has
 * cores, every core has work, and a spinning thread would take one from them (bench/README.md, "hello at 16
 * connections").
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestsInFlight implements Filter {

    private final AtomicInteger count = new AtomicInteger();
    private final int cores;

    public RequestsInFlight() {
        this(Runtime.getRuntime().availableProcessors());
    }

    RequestsInFlight(int cores) {
        this.cores = cores;
    }

    /** The requests being handled at this moment. */
    int now() {
        return count.get();
    }

    /** Whether fewer requests are in flight than the node has cores: one core at least has none to work on. */
    public boolean leaveACoreFree() {
        return count.get() < cores;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        count.incrementAndGet();
        try {
            chain.doFilter(request, response);
        } finally {
            count.decrementAndGet();
        }
    }
}
