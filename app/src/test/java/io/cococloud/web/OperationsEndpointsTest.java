package io.cococloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

@IntegrationTest
class OperationsEndpointsTest {

    @LocalServerPort
    int port;

    @Test
    void healthIsPublicAndUpWithTheDatabase() {
        AdminApi.Response health = AdminApi.anonymous(port).get("/actuator/health").expect(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse(); // no internals for the public

        AdminApi.Response detailed = AdminApi.root(port).get("/actuator/health").expect(200);
        assertThat(detailed.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        AdminApi.Response readiness = AdminApi.anonymous(port).get("/actuator/health/readiness").expect(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsNeedAnInstanceAdmin() {
        AdminApi.anonymous(port).get("/actuator/prometheus").expect(401);
        AdminApi.newAccount(port).get("/actuator/prometheus").expect(403);
        String metrics = AdminApi.root(port).get("/actuator/prometheus").expect(200).body();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void requestsAreMeasuredWholeWithoutAnObservationPerSecurityFilter() {
        AdminApi.anonymous(port).get("/actuator/health").expect(200);
        String metrics = AdminApi.root(port).get("/actuator/prometheus").expect(200).body();
        assertThat(metrics).contains("http_server_requests_seconds_count{")
                .doesNotContain("spring_security_filterchains").doesNotContain("spring_security_authorizations");
    }

    @Test
    void requestsAreTimedWhenTheyEndAndNotTrackedWhileTheyRun() {
        AdminApi.anonymous(port).get("/actuator/health").expect(200);
        String metrics = AdminApi.root(port).get("/actuator/prometheus").expect(200).body();
        assertThat(metrics).contains("http_server_requests_seconds_count{")
                .doesNotContain("http_server_requests_active_seconds");
    }

    @Test
    void theConsoleIsServedWithAContentSecurityPolicy() {
        AdminApi.Response page = AdminApi.anonymous(port).get("/console/").expect(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        // the page is a shell: its script renders the login form into #login-view
        assertThat(page.body()).contains("id=\"login-view\"").contains("<script type=\"module\" src=\"app.js\">");
    }

    @Test
    void theConsolesLibrariesAreServedFromWebJarsByVersionlessPaths() {
        AdminApi.Response litHtml = AdminApi.anonymous(port).get("/console/vendor/lit-html/lit-html.js").expect(200);
        assertThat(litHtml.header("Content-Type")).startsWith("text/javascript");
        assertThat(litHtml.body()).contains("lit-html");
        assertThat(AdminApi.anonymous(port).get("/console/vendor/codemirror/mode/python/python.js").status())
                .isEqualTo(200);
    }
}
