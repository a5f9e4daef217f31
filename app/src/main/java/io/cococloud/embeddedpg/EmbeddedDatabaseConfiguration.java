package io.cococloud.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
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
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zero-config database: when no {@code spring.datasource.url} is configured, the server runs its
 * own PostgreSQL with the cluster under {@code coco.data-dir}, so a restart keeps everything.
 * The DataSource depends on the server bean, so Spring closes the pool before stopping PostgreSQL.
 *
 * <p>The server is supervised ({@link EmbeddedPostgres}): while it is being restarted after a crash,
 * connections are refused at once rather than after the pool's timeout, requests that need the
 * database get 503 with {@code Retry-After}, health and readiness are DOWN, and once it is back the
 * pool drops its dead connections and carries on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${coco.data-dir}") Path dataDir) throws IOException {
        return EmbeddedPostgres.start(dataDir.resolve("postgres"), true);
    }

    @Bean(destroyMethod = "close")
    SupervisedDataSource dataSource(EmbeddedPostgres postgres, DataSourceProperties properties,
            Environment environment, ApplicationEventPublisher events) {
        properties.setUrl(postgres.jdbcUrl());
        properties.setUsername(postgres.username());
        properties.setPassword(postgres.password());
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
        postgres.onAvailabilityChange(up -> AvailabilityChangeEvent.publish(events, postgres,
                up ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC));
        return new SupervisedDataSource(pool, postgres);
    }

    /** {@code embeddedPostgres} in /actuator/health: DOWN while the server is being restarted. */
    @Bean
    HealthIndicator embeddedPostgresHealthIndicator(EmbeddedPostgres postgres) {
        return () -> (postgres.isUp() ? Health.up() : Health.down().withDetail("state", "restarting"))
                .withDetail("port", postgres.port()).withDetail("restarts", postgres.restarts()).build();
    }

    @Bean
    FilterRegistrationBean<DatabaseDownFilter> databaseDownFilter(EmbeddedPostgres postgres, JsonMapper json) {
        FilterRegistrationBean<DatabaseDownFilter> registration =
                new FilterRegistrationBean<>(new DatabaseDownFilter(postgres::isUp, json));
        // Right after the request limits, before security (which reads sessions and keys from the database).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
