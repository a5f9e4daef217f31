package io.cococloud.cluster;

import static io.cococloud.support.AdminApi.API;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.SecondNode;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Two server instances on one PostgreSQL (issue 14 §1): node A is the tests' shared server, node B a second Spring
 * application in this JVM on a port of its own. Each change is made through A's HTTP API and must be seen through
 * B's; B has answered with the old state first, so that it had cached it. B keeps a cached entry for up to
 * {@code coco.cluster.max-staleness} (5 minutes), so only the notification can make it see a change within
 * {@link #NOTIFIED}. How fast that is (well under a second) is printed per test, not timed: a loaded 2-core machine
 * may take longer to run B's new code than to deliver the news.
 */
@IntegrationTest
class TwoNodesTest {

    /** Far below the staleness bound, far above the notification's delay. */
    private static final Duration NOTIFIED = Duration.ofSeconds(15);

    private static SecondNode nodeB;
    private static int portB;

    @LocalServerPort
    private int portA;
    private Functions onA;
    private String base;

    @BeforeAll
    static void startNodeB() {
        nodeB = SecondNode.start(Map.of("coco.mail.allowed-internal-hosts", "127.0.0.1",
                "coco.runtime.concurrent-calls-per-project", 1, "coco.cluster.max-staleness", "5m"));
        portB = nodeB.port();
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @BeforeEach
    void newProject() {
        onA = Functions.inNewProject(portA);
        base = API + "/projects/" + onA.projectId();
    }

    @Test
    void aDeployOnOneNodeIsServedByTheOther() {
        String id = onA.deploy("def main():\n    return 'version 1'\n");
        assertThat(resultOnB(id)).isEqualTo("version 1");

        onA.owner().patch(base + "/functions/" + id, Map.of("code", "def main():\n    return 'version 2'\n"))
                .expect(200);

        seenOnB(() -> assertThat(resultOnB(id)).isEqualTo("version 2"));
    }

    @Test
    void aTemplateSavedOnOneNodeIsRenderedByTheOther() {
        onA.owner().post(base + "/templates", Map.of("name", "page.html", "content", "<p>old {{ x }}</p>"))
                .expect(201);
        String id = onA.deploy("def main():\n    return render.render_template('page.html', {'x': 1})\n");
        assertThat(onB().get("/functions/" + id + "/execute").expect(200).body()).contains("<p>old 1</p>");

        onA.owner().put(base + "/templates/page.html", Map.of("content", "<p>new {{ x }}</p>")).expect(200);

        seenOnB(() ->
                assertThat(onB().get("/functions/" + id + "/execute").expect(200).body()).contains("<p>new 1</p>"));
    }

    @Test
    void aSecretAndAVariableChangedOnOneNodeAreSeenByTheOthersFunctions() {
        onA.owner().put(base + "/secrets/TOKEN", Map.of("value", "secret 1")).expect(201);
        onA.owner().put(base + "/variables/MODE", Map.of("value", "variable 1")).expect(201);
        String id = onA.deploy("import os\ndef main():\n    return secrets.get('TOKEN') + ' / ' + os.environ['MODE']\n");
        assertThat(resultOnB(id)).isEqualTo("secret 1 / variable 1");

        onA.owner().put(base + "/secrets/TOKEN", Map.of("value", "secret 2")).expect(200);
        onA.owner().put(base + "/variables/MODE", Map.of("value", "variable 2")).expect(200);

        seenOnB(() -> assertThat(resultOnB(id)).isEqualTo("secret 2 / variable 2"));
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedByTheOther() {
        var created = onA.owner().post(base + "/keys", Map.of("kind", "client")).expect(201).json();
        String key = created.get("key").asString();
        assertThat(clientReadOnB(key)).isEqualTo(200);

        onA.owner().delete(base + "/keys/" + created.get("id").asString()).expect(204);

        seenOnB(() -> assertThat(clientReadOnB(key)).isEqualTo(401));
    }

    @Test
    void aProjectDeletedOnOneNodeIsGoneOnTheOther() {
        String key = onA.owner().post(base + "/keys", Map.of("kind", "client")).expect(201).json().get("key")
                .asString();
        String id = onA.deploy("def main():\n    return 'alive'\n");
        assertThat(resultOnB(id)).isEqualTo("alive");
        assertThat(clientReadOnB(key)).isEqualTo(200);

        onA.owner().delete(base).expect(204);

        seenOnB(() -> {
            assertThat(onB().get("/functions/" + id + "/execute").status()).isEqualTo(404);
            // the key named a project that is gone: refused as an unknown key, as on the node that deleted it
            assertThat(clientReadOnB(key)).isEqualTo(AdminApi.anonymous(portA).send("GET",
                    "/collections/posts/documents", null, Map.of("x-api-key", key)).status()).isNotEqualTo(200);
        });
    }

    @Test
    void allowedOriginsChangedOnOneNodeAreEnforcedByTheOther() {
        String key = onA.owner().post(base + "/keys", Map.of("kind", "client")).expect(201).json().get("key")
                .asString();
        String page = "https://app.example.test";
        assertThat(clientReadOnB(key, page)).isEqualTo(200); // by default any origin

        onA.owner().put(base + "/cors", Map.of("allowed_origins", java.util.List.of("https://other.example.test")))
                .expect(200);

        seenOnB(() -> assertThat(clientReadOnB(key, page)).isEqualTo(403));
    }

    @Test
    void failedLoginsOnBothNodesAddUpToOneLockout() {
        String email = "target-" + UUID.randomUUID() + "@cococloud.test";
        String password = "the-real-password-1";
        AdminApi.root(portA).post(API + "/accounts", Map.of("email", email, "password", password)).expect(201);
        // the limit is 5 failures per account: 3 on A and 2 on B reach it
        for (int i = 0; i < 3; i++) {
            login(portA, email, "guess-on-a-" + i).expect(401);
        }
        for (int i = 0; i < 2; i++) {
            login(portB, email, "guess-on-b-" + i).expect(401);
        }

        assertThat(login(portA, email, password).status()).isEqualTo(429);
        assertThat(login(portB, email, password).status()).isEqualTo(429);
    }

    /** Waits until B shows the change, and prints how long after A's answer that was. */
    private static void seenOnB(ThrowingRunnable shown) {
        long start = System.nanoTime();
        await().atMost(NOTIFIED).pollInterval(50, MILLISECONDS).untilAsserted(shown);
        System.out.printf("TwoNodesTest: seen on node B %d ms after node A answered%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    private static AdminApi.Response login(int port, String email, String password) {
        return AdminApi.anonymous(port).post(API + "/auth/token", Map.of("email", email, "password", password));
    }

    private String resultOnB(String functionId) {
        return onB().get("/functions/" + functionId + "/execute").expect(200).json().get("result").asString();
    }

    private int clientReadOnB(String key) {
        return onB().send("GET", "/collections/posts/documents", null, Map.of("x-api-key", key)).status();
    }

    private int clientReadOnB(String key, String origin) {
        return onB().send("GET", "/collections/posts/documents", null, Map.of("x-api-key", key, "Origin", origin))
                .status();
    }

    private static AdminApi onB() {
        return AdminApi.anonymous(portB);
    }
}
