package io.cococloud.function;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The durable queue of async calls: db-scheduler (core library; its Spring Boot starter predates Boot 4) on the
 * app's PostgreSQL, table {@code scheduled_tasks} (V13). One task instance per accepted call. A node claims a due
 * instance with an optimistic update (picked, version), so several nodes on one database never run one call twice
 * at once; while it runs the node beats every {@code heartbeat}, and an instance whose node has missed
 * {@code missed-heartbeats} beats (killed, frozen, cut off) is revived by any node's scheduler and runs again.
 *
 * <p>The scheduler sees Spring's transactions (TransactionAwareDataSourceProxy): a call is scheduled in the
 * transaction that stores its record, so neither exists without the other.
 */
@Configuration(proxyBeanMethods = false)
class AsyncQueueConfiguration {

    static final String TASK = "async-invocation";

    @Bean
    CustomTask<Void> asyncInvocationTask(AsyncAttempts attempts) {
        return Tasks.custom(TASK, Void.class)
                // the attempt itself failed (the database went away mid-update, say): try it again soon
                .onFailureReschedule(FixedDelay.ofSeconds(10))
                .onDeadExecutionRevive()
                .execute((instance, context) -> attempts.run(instance.getId()));
    }

    @Bean
    Scheduler asyncScheduler(DataSource dataSource, CustomTask<Void> asyncInvocationTask,
            @Value("${coco.async.threads:8}") int threads,
            @Value("${coco.async.polling-interval:1s}") Duration pollingInterval,
            @Value("${coco.async.heartbeat:2s}") Duration heartbeat,
            @Value("${coco.async.missed-heartbeats:5}") int missedHeartbeats) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), asyncInvocationTask)
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .threads(threads)
                .pollingInterval(pollingInterval)
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(missedHeartbeats)
                // a call still running at shutdown stays claimed; it is revived once its heartbeats stop
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    /** Starts the scheduler once the server is ready and stops it before the database connections go. */
    @Bean
    SmartLifecycle asyncSchedulerLifecycle(Scheduler asyncScheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                asyncScheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                asyncScheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    /** Host and process: picked_by tells which node holds a call, also when several run on one host. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "#" + ProcessHandle.current().pid();
    }
}
