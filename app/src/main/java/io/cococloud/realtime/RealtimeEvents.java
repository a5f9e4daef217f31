package io.cococloud.realtime;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Event rows: what one node publishes for a topic, read by id by every node that has subscribers of it. Written in
 * the caller's transaction when there is one (a document write's), so its notification goes out at that commit.
 */
@Component
class RealtimeEvents {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final RealtimeProperties settings;

    RealtimeEvents(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events, RealtimeProperties settings) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.settings = settings;
    }

    void publish(UUID projectId, String topic, Map<String, Object> body) {
        long id = jdbc.sql("INSERT INTO realtime_events (project_id, topic, body) VALUES (?, ?, ?::jsonb) RETURNING id")
                .params(projectId, topic, json.writeValueAsString(body)).query(Long.class).single();
        events.publishEvent(new RealtimeEventPublished(projectId, topic, id));
    }

    /** The body of a project's event, as JSON text; empty once swept (or for another project's id). */
    Optional<String> body(UUID projectId, long id) {
        return jdbc.sql("SELECT body::text FROM realtime_events WHERE id = ? AND project_id = ?")
                .params(id, projectId).query(String.class).optional();
    }

    @Scheduled(fixedDelay = 60, initialDelay = 60, timeUnit = TimeUnit.SECONDS)
    void sweep() {
        jdbc.sql("DELETE FROM realtime_events WHERE created_at < now() - make_interval(secs => ?)")
                .param(settings.eventsKeptFor().toSeconds()).update();
    }
}
