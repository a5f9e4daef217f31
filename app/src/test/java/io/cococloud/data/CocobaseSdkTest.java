package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.CocobaseSdk;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * The official CocoBase JavaScript SDK (npm {@code cocobase}, pinned in app/src/test/node/package.json)
 * against this server: app/src/test/node/sdk-check.mjs signs up, logs in, works on documents and
 * calls a function through the SDK, asserting the shapes the SDK reads.
 */
@IntegrationTest
class CocobaseSdkTest {

    private static final String FUNCTION_NAME = "sdk_echo";

    @LocalServerPort
    int port;

    @Test
    void theOfficialJavaScriptSdkWorksAgainstTheServer() throws Exception {
        String node = CocobaseSdk.executable("node");
        Path dir = CocobaseSdk.directory();
        assertThat(dir.resolve("sdk-check.mjs")).exists();

        Functions functions = Functions.inNewProject(port);
        String projectId = functions.projectId();
        String clientKey = functions.owner()
                .post(AdminApi.API + "/projects/" + projectId + "/keys", Map.of("kind", "client")).expect(201)
                .json().get("key").asString();
        functions.deploy("""
                def main():
                    u = request.user
                    return {"echo": request.get("msg"), "user": u.email if u else None}
                """, Map.of("name", FUNCTION_NAME));

        CocobaseSdk.Run check = CocobaseSdk.run(dir, Map.of("BASE_URL", "http://localhost:" + port, "API_KEY",
                clientKey, "FUNCTION_PROJECT", projectId, "FUNCTION_NAME", FUNCTION_NAME), node, "sdk-check.mjs");
        System.out.print(check.output()); // one line per SDK call, plus notes on declared-only fields
        assertThat(check.exit()).as("sdk-check.mjs failed:%n%s", check.output()).isZero();
    }
}
