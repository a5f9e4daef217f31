package io.cococloud.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zero-config database: when no {@code spring.datasource.url} is configured, the server runs its
 * own PostgreSQL with the cluster under {@code coco.data-dir}, so a restart keeps everything.
 * The DataSource depends on the server bean, so Spring closes the pool before stopping PostgreSQL.
 *
 * <p>The choice is made when the server starts, inside the bean methods, not by a {@code @Conditional}: the
 * server runs with the bean definitions Spring AOT generated at build time, where every condition's outcome is
 * fixed by the build's settings. Without an embedded server its bean and its health indicator are null (Spring's
 * {@code NullBean}, which no collection of beans includes), its filter is disabled, and the pool is an ordinary
 * Hikari pool.
 *
 * <p>The server is supervised ({@link EmbeddedPostgres}): while it is being restarted after a crash,
 * connections are refused at once rather than after the pool's timeout, requests that need the
 * database get 503 with {@code Retry-After}, health and readiness are DOWN, and once it is back the
 * pool drops its dead connections and carries on.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedDatabaseConfiguration {

    /** The embedded server's bean, which {@link EmbeddedPostgresInitializer} starts early where it is defined. */
    static final String SERVER_BEAN = "embeddedPostgres";

    /**
     * The embedded PostgreSQL, or null when {@code spring.datasource.url} names a database of the operator's. A server
     * starts it before its first bean ({@link EmbeddedPostgresInitializer}); a context without that start (one made
     * by hand) starts it here.
     */
    @Bean(name = SERVER_BEAN, destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${coco.data-dir}") Path dataDir, DataSourceProperties properties,
            ObjectProvider<EmbeddedPostgresStart> begun) throws IOException {
        if (StringUtils.hasText(properties.getUrl())) {
            return null;
        }
        EmbeddedPostgresStart start = begun.getIfAvailable();
        return start != null ? start.await() : EmbeddedPostgres.start(dataDir.resolve("postgres"), true);
    }

    @Bean(destroyMethod = "close")
    @DependsOn(SERVER_BEAN) // made after PostgreSQL and closed before it
    DataSource dataSource(ObjectProvider<EmbeddedPostgres> embedded, DataSourceProperties properties,
            Environment environment, ApplicationEventPublisher events) {
        EmbeddedPostgres postgres = embedded.getIfAvailable();
        if (postgres != null) {
            properties.setUrl(postgres.jdbcUrl());
            properties.setUsername(postgres.username());
            properties.setPassword(postgres.password());
        }
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
        if (postgres == null) {
            return pool;
        }
        postgres.onAvailabilityChange(up -> AvailabilityChangeEvent.publish(events, postgres,
                up ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC));
        return new SupervisedDataSource(pool, postgres);
    }

    /** {@code embeddedPostgres} in /actuator/health: DOWN while the server is being restarted. */
    @Bean
    HealthIndicator embeddedPostgresHealthIndicator(ObjectProvider<EmbeddedPostgres> embedded) {
        EmbeddedPostgres postgres = embedded.getIfAvailable();
        if (postgres == null) {
            return null;
        }
        return () -> (postgres.isUp() ? Health.up() : Health.down().withDetail("state", "restarting"))
                .withDetail("port", postgres.port()).withDetail("restarts", postgres.restarts()).build();
    }

    @Bean
    FilterRegistrationBean<DatabaseDownFilter> databaseDownFilter(ObjectProvider<EmbeddedPostgres> embedded,
            JsonMapper json) {
        EmbeddedPostgres postgres = embedded.getIfAvailable();
        FilterRegistrationBean<DatabaseDownFilter> registration = new FilterRegistrationBean<>(
                new DatabaseDownFilter(postgres == null ? () -> true : postgres::isUp, json));
        registration.setEnabled(postgres != null); // an operator's database is theirs to supervise
        // Right after the request limits, before security (which reads sessions and keys from the database).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
