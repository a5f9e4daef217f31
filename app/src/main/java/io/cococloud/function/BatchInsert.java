package io.cococloud.function;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.stereotype.Component;

/**
 * Many rows of one INSERT sent as one JDBC batch: a version's or a package's files, hundreds of rows where one
 * statement each would cost a round trip each. JdbcClient has no batch; this takes the connection of the current
 * transaction, as JdbcClient does, and translates failures to Spring's exceptions alike.
 */
@Component
class BatchInsert {

    private final DataSource dataSource;

    BatchInsert(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insert(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            DataAccessException translated = new SQLExceptionSubclassTranslator().translate("batch insert", sql, e);
            throw translated != null ? translated : new UncategorizedSQLException("batch insert", sql, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
