package io.cococloud.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The zero-config PostgreSQL, started on a thread of its own from the moment the server's settings are final
 * ({@link EmbeddedPostgresInitializer}), so that it starts while Spring makes its first beans instead of holding up
 * the first one that needs the database: 0.3-0.5 s of a restart on two cores, most of it spent waiting for the
 * postmaster (bench/README.md, "Start-up and memory").
 */
final class EmbeddedPostgresStart implements AutoCloseable {

    static final String BEAN_NAME = "embeddedPostgresStart";

    private final CompletableFuture<EmbeddedPostgres> server = new CompletableFuture<>();

    private EmbeddedPostgresStart() {}

    /** Starts PostgreSQL with its cluster under {@code home} (see {@link EmbeddedPostgres#start}). */
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

    /** Waits for the server; its start's failure, as {@link EmbeddedPostgres#start} would have thrown it. */
    EmbeddedPostgres await() throws IOException {
        try {
            return server.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException failure -> throw failure;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /**
     * Stops the server once it has started. The bean made from it stops it first when the context closes; this is
     * for a start that failed before any bean asked for the server, which would otherwise leave it running.
     */
    @Override
    public void close() {
        EmbeddedPostgres postgres = server.handle((started, failure) -> started).join();
        if (postgres != null) {
            postgres.close();
        }
    }
}
