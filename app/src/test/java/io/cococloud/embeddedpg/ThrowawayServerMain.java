package io.cococloud.embeddedpg;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;

/**
 * A JVM like a test run's: a Spring application, and a throw-away PostgreSQL under the folder given
 * (started as TestPostgres does, while the context is being prepared). It then waits to be killed.
 */
public final class ThrowawayServerMain {

    private ThrowawayServerMain() {}

    public static void main(String[] args) throws Exception {
        Path parent = Path.of(args[0]);
        EmbeddedPostgres[] postgres = new EmbeddedPostgres[1];
        new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
                .initializers(context -> {
                    try {
                        postgres[0] = EmbeddedPostgres.startThrowaway(parent);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).run();
        System.out.println("postmaster " + postgres[0].postmasterPid() + " " + postgres[0].home());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
