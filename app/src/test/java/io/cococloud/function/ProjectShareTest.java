package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Each project has a bounded share of the runtime: calls beyond its running and queued caps are refused at once
 * with 503 and Retry-After, and a project flooding its own functions never holds up another project's calls.
 * Assertions are about order (who answered before whom), never about how long a loaded machine took.
 */
@IntegrationTest
class ProjectShareTest {

    private static final String SLEEPER = "def main():\n    time.sleep(float(request.get('s', '3')))\n    return 'slept'\n";

    @LocalServerPort
    int port;

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopCallers() {
        callers.close();
    }

    /** A response, and which answers of the whole test had arrived before it (its place in the order). */
    record Answer(int status, String retryAfter, String body, int place) {}

    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    private CompletableFuture<Answer> callAsync(Functions project, String functionId, String query, String label) {
        return CompletableFuture.supplyAsync(() -> {
            AdminApi.Response response = project.get(functionId, query);
            synchronized (order) {
                order.add(label + ":" + response.status());
                return new Answer(response.status(), response.header("Retry-After"), response.body(), order.size());
            }
        }, callers);
    }

    @Test
    void callsBeyondAProjectsRunningAndQueuedCapsGet503AtOnceWithRetryAfter() {
        Functions a = Functions.inNewProject(port);
        AdminApi.root(port).put(API + "/projects/" + a.projectId() + "/limits",
                Map.of("concurrent_calls", 1, "queued_calls", 1)).expect(200);
        String sleeper = a.deploy(SLEEPER);
        a.get(sleeper, "s=0").expect(200); // warm: deploying loads the function in the project's only slot

        List<CompletableFuture<Answer>> calls = IntStream.range(0, 6)
                .mapToObj(i -> callAsync(a, sleeper, "s=3", "a")).toList();
        List<Answer> answers = calls.stream().map(CompletableFuture::join).toList();

        List<Answer> refused = answers.stream().filter(answer -> answer.status() == 503).toList();
        List<Answer> served = answers.stream().filter(answer -> answer.status() == 200).toList();
        assertThat(served).as("one running, one queued").hasSize(2);
        assertThat(refused).hasSize(4).allSatisfy(answer -> {
            assertThat(answer.retryAfter()).isEqualTo("1");
            assertThat(answer.body()).contains("\"success\":false").contains("Busy");
            // Refused without waiting: before the running call has finished sleeping.
            assertThat(answer.place()).isLessThanOrEqualTo(4);
        });
    }

    @Test
    void aFloodedProjectDoesNotHoldUpAnotherProjectsCalls() {
        Functions flooder = Functions.inNewProject(port);
        Functions bystander = Functions.inNewProject(port);
        String sleeper = flooder.deploy(SLEEPER);
        String normal = bystander.deploy("def main():\n    return {'ok': True}\n");
        bystander.get(normal, "").expect(200); // warm, as the bystander's function is in production

        // More calls than the server runs at once and than the project may queue: none of them may hold a thread
        // that the bystander needs, whether it runs, waits, or is refused.
        List<CompletableFuture<Answer>> flood = IntStream.range(0, 150)
                .mapToObj(i -> callAsync(flooder, sleeper, "s=4", "flood")).toList();
        List<Answer> bystanderAnswers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bystanderAnswers.add(callAsync(bystander, normal, "", "bystander").join());
        }
        List<Answer> floodAnswers = flood.stream().map(CompletableFuture::join).toList();

        assertThat(bystanderAnswers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
        int firstSleeperDone = floodAnswers.stream().filter(answer -> answer.status() == 200)
                .mapToInt(Answer::place).min().orElseThrow();
        assertThat(bystanderAnswers).as("the bystander answered while the flood's first calls were still sleeping")
                .allSatisfy(answer -> assertThat(answer.place()).isLessThan(firstSleeperDone));
        assertThat(floodAnswers).extracting(Answer::status).containsOnly(200, 503);
    }

    @Test
    void onlyAnInstanceAdministratorChangesAProjectsLimits() {
        Functions a = Functions.inNewProject(port);
        String limits = API + "/projects/" + a.projectId() + "/limits";

        a.owner().put(limits, Map.of("concurrent_calls", 64)).expect(403);
        assertThat(a.owner().get(limits).expect(200).json().get("concurrent_calls").isNull()).isTrue();

        AdminApi.root(port).put(limits, Map.of("concurrent_calls", 8, "queued_calls", 40)).expect(200);
        assertThat(a.owner().get(limits).expect(200).json().get("concurrent_calls").asInt()).isEqualTo(8);
    }

    @Test
    void limitsOutOfRangeAreRefusedNamingTheField() {
        Functions a = Functions.inNewProject(port);
        String limits = API + "/projects/" + a.projectId() + "/limits";
        AdminApi root = AdminApi.root(port);

        assertThat(root.put(limits, Map.of("concurrent_calls", 0)).expect(400).body()).contains("concurrent_calls");
        assertThat(root.put(limits, Map.of("queued_calls", -1)).expect(400).body()).contains("queued_calls");
        assertThat(root.put(limits, Map.of("concurent_calls", 2)).expect(400).body()).contains("concurent_calls");
    }

    @Test
    void anotherProjectsMembersCannotSeeItsLimits() {
        Functions a = Functions.inNewProject(port);
        Functions b = Functions.inNewProject(port);
        b.owner().get(API + "/projects/" + a.projectId() + "/limits").expect(404);
    }
}
