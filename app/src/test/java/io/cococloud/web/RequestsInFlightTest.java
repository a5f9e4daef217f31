package io.cococloud.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The count of requests being handled, which the Python runtime asks before a thread busy-waits. */
class RequestsInFlightTest {

    private final RequestsInFlight inFlight = new RequestsInFlight();

    @Test
    void aRequestCountsWhileItIsHandled() throws Exception {
        AtomicInteger seen = new AtomicInteger(-1);

        inFlight.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                (request, response) -> seen.set(inFlight.now()));

        assertThat(seen).hasValue(1);
        assertThat(inFlight.now()).isZero();
    }

    @Test
    void requestsHandledAtOnceAddUp() throws Exception {
        AtomicInteger seen = new AtomicInteger(-1);

        inFlight.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                (outer, outerResponse) -> inFlight.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                        (inner, innerResponse) -> seen.set(inFlight.now())));

        assertThat(seen).hasValue(2);
        assertThat(inFlight.now()).isZero();
    }

    @Test
    void withTwoCoresOneRequestLeavesACoreFreeAndTwoDoNot() throws Exception {
        RequestsInFlight twoCores = new RequestsInFlight(2);
        AtomicBoolean alone = new AtomicBoolean();
        AtomicBoolean withAnother = new AtomicBoolean(true);

        twoCores.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(), (outer, outerResponse) -> {
            alone.set(twoCores.leaveACoreFree());
            twoCores.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                    (inner, innerResponse) -> withAnother.set(twoCores.leaveACoreFree()));
        });

        assertThat(alone).isTrue();
        assertThat(withAnother).isFalse();
        assertThat(twoCores.leaveACoreFree()).isTrue();
    }

    @Test
    void aRequestWhoseHandlingFailedNoLongerCounts() {
        assertThatThrownBy(() -> inFlight.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                (request, response) -> {
                    throw new ServletException("the handler failed");
                })).isInstanceOf(ServletException.class);

        assertThat(inFlight.now()).isZero();
    }
}
