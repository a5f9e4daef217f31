package io.cococloud.mail;

import java.time.Duration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The mail outbox's depth on /actuator/prometheus: {@code cococloud_mail_outbox_depth}, the mails of every project
 * not yet sent or given up (queued, or being sent). Counted in PostgreSQL (the partial index mail_outbox_due holds
 * exactly those rows) when scraped, at most once every {@code coco.metrics.count-interval}; sending never counts.
 */
@Component
class OutboxMetrics {

    private final JdbcClient db;
    private final long intervalNanos;
    private volatile Count last;

    /** A count and when it was taken (nanoTime). */
    private record Count(double value, long at) {}

    OutboxMetrics(JdbcClient db, MeterRegistry registry,
            @Value("${coco.metrics.count-interval:10s}") Duration interval) {
        this.db = db;
        this.intervalNanos = interval.toNanos();
        Gauge.builder("cococloud.mail.outbox.depth", this, OutboxMetrics::depth)
                .description("Mails queued or being sent, all projects").register(registry);
    }

    private double depth() {
        Count count = last;
        long now = System.nanoTime();
        if (count != null && now - count.at() < intervalNanos) {
            return count.value();
        }
        synchronized (this) {
            count = last;
            if (count != null && now - count.at() < intervalNanos) {
                return count.value();
            }
            double value;
            try {
                // every project's: an operator's number, read by an instance administrator only
                value = db.sql("SELECT count(*) FROM mail_outbox WHERE status IN ('queued', 'sending')")
                        .query(Long.class).single();
            } catch (DataAccessException unreadable) {
                value = count != null ? count.value() : Double.NaN; // the last count stands until it answers again
            }
            last = new Count(value, now);
            return value;
        }
    }
}
