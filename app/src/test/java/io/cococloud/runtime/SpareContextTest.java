package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

/** The context made in advance for the next project that needs one (stand-ins without Python). */
class SpareContextTest {

    private final List<SandboxedContext> made = new ArrayList<>();
    /** The background work runs at once, so each test reads as a sequence. */
    private final Executor atOnce = Runnable::run;

    private SandboxedContext make() {
        SandboxedContext context = new SandboxedContext(null, null, null);
        made.add(context);
        return context;
    }

    @Test
    void theSpareIsHandedOutOnceAndAnotherIsMadeOnceTheWorkThatTookItHasEnded() {
        SpareContext spare = new SpareContext(this::make, atOnce);
        spare.refill();

        SandboxedContext first = spare.take();
        assertThat(made).hasSize(1); // not while the call that took it runs: they would share the CPU
        spare.replaceTaken();
        SandboxedContext second = spare.take();

        assertThat(first).isSameAs(made.get(0));
        assertThat(second).isSameAs(made.get(1)).isNotSameAs(first);
    }

    @Test
    void oneTakeIsReplacedOnce() {
        SpareContext spare = new SpareContext(this::make, atOnce);
        spare.refill();
        spare.take();

        spare.replaceTaken();
        spare.take();
        spare.replaceTaken();
        spare.replaceTaken();

        assertThat(made).hasSize(3);
    }

    @Test
    void callsEndingWithoutATakeMakeNothing() {
        SpareContext spare = new SpareContext(this::make, atOnce);
        spare.refill();

        spare.replaceTaken();

        assertThat(made).hasSize(1);
    }

    @Test
    void nothingIsHandedOutBeforeOneIsMade() {
        SpareContext spare = new SpareContext(this::make, atOnce);

        assertThat(spare.take()).isNull();
        assertThat(made).hasSize(1); // the take asked for one
    }

    @Test
    void aRefillWhileOneIsReadyMakesNoSecond() {
        SpareContext spare = new SpareContext(this::make, atOnce);
        spare.refill();
        spare.refill();

        assertThat(made).hasSize(1);
    }

    @Test
    void closingClosesTheSpareAndMakesNoMore() {
        SpareContext spare = new SpareContext(this::make, atOnce);
        spare.refill();

        spare.close();

        assertThat(made.get(0).closed()).isTrue();
        assertThat(spare.take()).isNull();
        assertThat(made).hasSize(1);
    }

    @Test
    void aContextThatCouldNotBeMadeLeavesNoSpareAndNoError() {
        SpareContext spare = new SpareContext(() -> {
            throw new IllegalStateException("the engine is closed");
        }, atOnce);
        spare.refill();

        assertThat(spare.take()).isNull();
    }
}
