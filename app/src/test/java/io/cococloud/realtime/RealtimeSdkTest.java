package io.cococloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.data.ClientApp;
import io.cococloud.support.CocobaseSdk;
import io.cococloud.support.IntegrationTest;

/**
 * The official CocoBase JavaScript SDK's realtime clients against this server: app/src/test/node/realtime-check.mjs
 * watches a collection through {@code db.realtime.collection} and {@code db.onSnapshot}, broadcasts, and creates,
 * joins and lists rooms, checking what the SDK hands to the application.
 */
@IntegrationTest
class RealtimeSdkTest {

    @LocalServerPort
    int port;

    @Test
    void theJavaScriptSdksRealtimeClientsWorkAgainstTheServer() throws Exception {
        String node = CocobaseSdk.executable("node");
        Path dir = CocobaseSdk.directory();
        ClientApp app = ClientApp.newProject(port);

        // Node 20 has WebSocket behind this flag (22 and later always; the flag is still accepted there)
        CocobaseSdk.Run check = CocobaseSdk.run(dir, Map.of("BASE_URL", "http://localhost:" + port, "API_KEY",
                app.clientKey), node, "--experimental-websocket", "realtime-check.mjs");
        System.out.print(check.output());
        assertThat(check.exit()).as("realtime-check.mjs failed:%n%s", check.output()).isZero();
    }
}
