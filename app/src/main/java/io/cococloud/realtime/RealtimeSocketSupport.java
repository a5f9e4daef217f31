package io.cococloud.realtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.stereotype.Component;

import io.cococloud.appuser.AppUserService;
import io.cococloud.project.ApiKeyService;
import io.cococloud.project.ProjectCors;
import jakarta.annotation.PreDestroy;

import tools.jackson.databind.json.JsonMapper;

/** What every realtime endpoint needs for the handshake, in one place (and one timer thread for all deadlines). */
@Component
record RealtimeSocketSupport(LiveConnections connections, RealtimeProperties settings, JsonMapper json,
        ApiKeyService keys, AppUserService users, ProjectCors cors, ScheduledExecutorService timers) {

    @org.springframework.beans.factory.annotation.Autowired
    RealtimeSocketSupport(LiveConnections connections, RealtimeProperties settings, JsonMapper json,
            ApiKeyService keys, AppUserService users, ProjectCors cors) {
        this(connections, settings, json, keys, users, cors, Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("realtime-auth-deadlines").daemon().factory()));
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }
}
