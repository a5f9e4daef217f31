package io.cococloud.embeddedpg;

import java.io.IOException;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Zero-config database: when no {@code spring.datasource.url} is configured, the server runs its
 * own PostgreSQL with the cluster under {@code coco.data-dir}, so a restart keeps everything.
 * The DataSource depends on the server bean, so Spring closes the pool before stopping PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${coco.data-dir}") Path dataDir) throws IOException {
        return EmbeddedPostgres.start(dataDir.resolve("postgres"), true);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, DataSourceProperties properties) {
        properties.setUrl(postgres.jdbcUrl());
        properties.setUsername(postgres.username());
        properties.setPassword(postgres.password());
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }
}
