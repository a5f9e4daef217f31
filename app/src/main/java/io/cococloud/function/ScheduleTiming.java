package io.cococloud.function;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

import io.cococloud.error.InvalidInputException;

/**
 * When a schedule fires: a cron expression read in a time zone. Spring's {@link CronExpression} parses and
 * computes (six fields, second first, or a macro such as {@code @hourly}); the zone decides what "9 o'clock"
 * and daylight-saving changes mean.
 */
record ScheduleTiming(CronExpression cron, ZoneId zone) {

    static final String DEFAULT_ZONE = "UTC";

    /** Both validated: a wrong one is a 400 naming its field ({@code cron} or {@code time_zone}). */
    static ScheduleTiming parse(String cron, String zone) {
        CronExpression expression;
        try {
            expression = CronExpression.parse(cron);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.atField("cron", "cron is not a valid cron expression (six fields: second"
                    + " minute hour day-of-month month day-of-week, or a macro such as @hourly): " + e.getMessage());
        }
        ZoneId id;
        try {
            id = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw InvalidInputException.atField("time_zone", "time_zone is not a known IANA time zone id (such as"
                    + " UTC or Europe/Paris): " + zone);
        }
        ScheduleTiming timing = new ScheduleTiming(expression, id);
        if (timing.next(Instant.now()) == null) {
            throw InvalidInputException.atField("cron", "cron never fires (no matching date)");
        }
        return timing;
    }

    /** The first tick strictly after {@code after}; null if there is none. */
    Instant next(Instant after) {
        ZonedDateTime next = cron.next(after.atZone(zone));
        return next == null ? null : next.toInstant();
    }
}
