package io.cococloud.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The zero-config PostgreSQL, started on a thread of its own as soon as the server's settings are known rather than
 * when Spring comes to make the {@code embeddedPostgres} bean, ~1-2 s into its start. Starting the postmaster, waiting
 * for it and the first connection's handshake take 0.5-0.7 s of a restart, nearly all of it waiting, which Spring's
 * main thread used to do itself; now it makes its other beans meanwhile (bench/README.md, "Start-up and memory").
 */
final class EmbeddedPostgresStart implements AutoCloseable {

    private final CompletableFuture<EmbeddedPostgres> server = new CompletableFuture<>();

    private EmbeddedPostgresStart() {}

    /** Begins starting PostgreSQL with its cluster under {@code home} (durable: a server's data). */
    static EmbeddedPostgresStart begin(Path home) {
        EmbeddedPostgresStart start = new EmbeddedPostgresStart();
        Thread.ofPlatform().name("embedded-postgres-start").daemon().start(() -> {
            try {
                start.server.complete(EmbeddedPostgres.start(home, true));
            } catch (IOException | RuntimeException | Error e) {
                start.server.completeExceptionally(e);
            }
        });
        return start;
    }

    /** The running server, once started; why it could not be, as {@link EmbeddedPostgres#start} says it. */
    EmbeddedPostgres server() throws IOException {
        try {
            return server.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /**
     * Stops the server: at once when it is up, else as soon as its start ends. Also the bean's own close, so a start
     * that fails before Spring made the bean does not leave PostgreSQL running; closing twice does nothing.
     */
    @Override
    public void close() {
        server.thenAccept(EmbeddedPostgres::close);
    }
}
