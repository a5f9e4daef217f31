package io.cococloud.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.cococloud.CocoCloudApplication;

/**
 * A second CocoCloud server on the test run's database, beside the test's own: what several nodes behind one load
 * balancer see of each other (caches, notifications, claimed work).
 */
public final class SecondNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts it with the test server's database and master key; {@code settings} add to or override the defaults. */
    public static SecondNode start(Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(TestPostgres.properties());
        properties.put("server.port", 0);
        properties.put("coco.admin.email", AdminApi.ROOT_EMAIL);
        properties.put("coco.admin.password", AdminApi.ROOT_PASSWORD);
        properties.put("coco.data-dir", "target/test-data"); // the same master key as the test's server
        properties.put("coco.runtime.idle-timeout", "1m");
        properties.put("spring.datasource.hikari.maximum-pool-size", 4);
        properties.putAll(settings);
        // as arguments, which win over application.yaml (default properties would not)
        return new SecondNode(new SpringApplication(CocoCloudApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
