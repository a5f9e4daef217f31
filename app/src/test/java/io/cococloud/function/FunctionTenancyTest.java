package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/** Project A's functions cannot be read, changed, tested, executed or listed through project B. */
@IntegrationTest
class FunctionTenancyTest {

    @LocalServerPort
    int port;

    Functions a;
    Functions b;
    String functionOfA;
    AdminApi memberOfBOnly;

    @BeforeEach
    void twoProjects() {
        a = Functions.inNewProject(port);
        b = Functions.inNewProject(port);
        functionOfA = a.deploy("def main():\n    return 'A'\n", Map.of("name", "only-a"));
        a.get(functionOfA, "").expect(200);
        memberOfBOnly = b.owner();
    }

    @Test
    void aMemberOfBCannotReachAsFunctionThroughBsUrls() {
        String viaB = b.functionsPath() + "/" + functionOfA;
        memberOfBOnly.get(viaB).expect(404);
        memberOfBOnly.patch(viaB, Map.of("code", "def main():\n    return 'hijacked'\n")).expect(404);
        memberOfBOnly.post(viaB + "/test", Map.of()).expect(404);
        memberOfBOnly.get(viaB + "/versions").expect(404);
        memberOfBOnly.post(viaB + "/versions/1/deploy", null).expect(404);
        memberOfBOnly.get(viaB + "/executions").expect(404);
        memberOfBOnly.delete(viaB).expect(404);
        memberOfBOnly.get(b.functionsPath() + "/only-a").expect(404);
    }

    @Test
    void aMemberOfBCannotReachAsFunctionThroughAsUrls() {
        String direct = a.functionsPath() + "/" + functionOfA;
        memberOfBOnly.get(direct).expect(404);
        memberOfBOnly.get(direct + "/executions").expect(404);
        memberOfBOnly.post(direct + "/test", Map.of()).expect(404);
        memberOfBOnly.patch(direct, Map.of("enabled", false)).expect(404);
    }

    @Test
    void asFunctionIsNotExecutableByNameUnderB() {
        b.call("POST", "/functions/" + b.projectId() + "/func/only-a", Map.of(), Map.of()).expect(404);
        a.call("POST", "/functions/" + a.projectId() + "/func/only-a", Map.of(), Map.of()).expect(200);
    }

    @Test
    void nothingOfAChanged() {
        aMemberOfBCannotReachAsFunctionThroughBsUrls();
        aMemberOfBCannotReachAsFunctionThroughAsUrls();
        a.owner().get(a.functionsPath() + "/" + functionOfA + "/versions").expect(200);
        a.get(functionOfA, "").expect(200);
        a.owner().get(API + "/projects/" + a.projectId() + "/functions").expect(200);
    }

    @Test
    void aDeletedProjectsFunctionsStopAnsweringAtOnce() {
        a.call("POST", "/functions/" + a.projectId() + "/func/only-a", Map.of(), Map.of()).expect(200);

        a.owner().delete(API + "/projects/" + a.projectId()).expect(204);

        a.get(functionOfA, "").expect(404);
        a.call("POST", "/functions/" + a.projectId() + "/func/only-a", Map.of(), Map.of()).expect(404);
    }
}
