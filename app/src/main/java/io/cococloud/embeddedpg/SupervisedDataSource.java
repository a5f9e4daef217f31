package io.cococloud.embeddedpg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool in front of the supervised PostgreSQL. While the server is down, asking for a connection
 * fails at once (SQLState 08001) instead of waiting for the pool's connection timeout; when the server
 * is back, the pool's connections to the dead one are evicted so no caller gets one.
 */
final class SupervisedDataSource extends DelegatingDataSource implements AutoCloseable {

    static final String DOWN_MESSAGE = "The database is being restarted after a crash; try again in a moment";

    private final HikariDataSource pool;
    private final EmbeddedPostgres postgres;

    SupervisedDataSource(HikariDataSource pool, EmbeddedPostgres postgres) {
        super(pool);
        this.pool = pool;
        this.postgres = postgres;
        postgres.onAvailabilityChange(up -> {
            if (up && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        });
    }

    @Override
    public Connection getConnection() throws SQLException {
        requireUp();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        requireUp();
        return super.getConnection(username, password);
    }

    private void requireUp() throws SQLException {
        if (!postgres.isUp()) {
            throw new SQLTransientConnectionException(DOWN_MESSAGE, "08001");
        }
    }

    HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
