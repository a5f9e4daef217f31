package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * When a call's record reaches PostgreSQL. Each test uses an execution log of its own, outside Spring, so no
 * scheduled batch writes for it: what is readable is what {@code record} itself wrote.
 */
@IntegrationTest
class ExecutionLogTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient db;

    @Autowired
    DataSource dataSource;

    ExecutionLog executions;
    UUID projectId;
    UUID functionId = UUID.randomUUID();

    @BeforeEach
    void unscheduledLog() {
        executions = new ExecutionLog(db, dataSource, Duration.ofDays(7));
        projectId = UUID.fromString(Functions.inNewProject(port).projectId());
    }

    private ExecutionLog.Execution call(String trigger) {
        return new ExecutionLog.Execution(projectId, FunctionExecutor.timeOrderedId(), functionId, 1, trigger,
                "success", 200, "greeting Ada\n", "", null, null, 3.5, Instant.now());
    }

    @Test
    void aConsoleTestRunsRecordIsReadableAsSoonAsItIsRecorded() {
        ExecutionLog.Execution run = call("test");

        executions.record(run);

        assertThat(executions.find(projectId, functionId, run.id()))
                .hasValueSatisfying(found -> assertThat(found.output()).isEqualTo("greeting Ada\n"));
        assertThat(executions.backlog()).isZero();
    }

    @Test
    void aUrlCallsRecordWaitsInMemoryForTheNextBatch() {
        ExecutionLog.Execution call = call("http");

        executions.record(call);

        assertThat(executions.find(projectId, functionId, call.id())).isEmpty();
        assertThat(executions.backlog()).isOne();
        executions.flush();
        assertThat(executions.find(projectId, functionId, call.id())).isPresent();
    }
}
