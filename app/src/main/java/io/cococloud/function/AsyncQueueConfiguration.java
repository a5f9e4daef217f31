package io.cococloud.function;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The durable queue of async calls: db-scheduler (core library; its Spring Boot starter predates Boot 4) on the
 * app's PostgreSQL, table {@code scheduled_tasks} (V13). One task instance per accepted call, and one per function
 * schedule ({@link ScheduleTicks}). A node claims a due
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

    /**
     * The ticks of function schedules (V19), one instance per schedule whose data is the cron time it stands for:
     * a tick retried after a failure (moved 10 s on) keeps it. The tick is the earlier of that and the instance's
     * own time. The ticks (a bean that needs this queue's client) are looked up when a tick runs.
     */
    @Bean
    CustomTask<Instant> scheduleTickTask(ObjectProvider<ScheduleTicks> ticks) {
        return Tasks.custom(ScheduleTicks.TASK, Instant.class)
                .onFailureReschedule(FixedDelay.ofSeconds(10))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    Instant due = context.getExecution().executionTime;
                    Instant tick = instance.getData();
                    return ticks.getObject().run(instance.getId(), tick != null && tick.isBefore(due) ? tick : due);
                });
    }

    /** Schedules calls from any thread, also while the queue's scheduler is stopped: it holds no threads. */
    @Bean
    SchedulerClient asyncSchedulerClient(DataSource dataSource, CustomTask<Void> asyncInvocationTask,
            CustomTask<Instant> scheduleTickTask) {
        return SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource), asyncInvocationTask,
                        scheduleTickTask)
                .build();
    }

    /**
     * Runs the queue while the server runs. A db-scheduler {@link Scheduler} cannot start again once stopped (its
     * executors are shut down), yet a Spring context may be stopped and started again (the test framework pauses a
     * cached context it does not use): each start builds a fresh scheduler.
     */
    @Bean
    AsyncQueueRunner asyncQueueRunner(DataSource dataSource, CustomTask<Void> asyncInvocationTask,
            CustomTask<Instant> scheduleTickTask,
            @Value("${coco.async.threads:8}") int threads,
            @Value("${coco.async.polling-interval:1s}") Duration pollingInterval,
            @Value("${coco.async.heartbeat:2s}") Duration heartbeat,
            @Value("${coco.async.missed-heartbeats:5}") int missedHeartbeats) {
        return new AsyncQueueRunner(() -> Scheduler.create(new TransactionAwareDataSourceProxy(dataSource),
                        asyncInvocationTask, scheduleTickTask)
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .threads(threads)
                .pollingInterval(pollingInterval)
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(missedHeartbeats)
                // a call still running at shutdown stays claimed; it is revived once its heartbeats stop
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build());
    }

    /** The running scheduler of this node, made anew at each start of the context. */
    static final class AsyncQueueRunner implements SmartLifecycle {
        private final Supplier<Scheduler> schedulers;
        private volatile Scheduler running;

        AsyncQueueRunner(Supplier<Scheduler> schedulers) {
            this.schedulers = schedulers;
        }

        @Override
        public synchronized void start() {
            if (running == null) {
                Scheduler scheduler = schedulers.get();
                scheduler.start();
                running = scheduler;
            }
        }

        @Override
        public synchronized void stop() {
            if (running != null) {
                running.stop();
                running = null;
            }
        }

        @Override
        public boolean isRunning() {
            return running != null;
        }

        /** Looks for due calls now (one was just committed) rather than at the next poll; nothing when stopped. */
        void wake() {
            Scheduler scheduler = running;
            if (scheduler != null) {
                scheduler.triggerCheckForDueExecutions();
            }
        }
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
