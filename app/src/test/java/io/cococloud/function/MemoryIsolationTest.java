package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * One tenant's memory never fails another tenant's request, whether a call allocates it all at once or a function
 * keeps a little of every call in its module's globals. Runs in a JVM of its own with a small heap (the
 * {@code small-heap} surefire execution), where the server exits on OutOfMemoryError: a lost race would end
 * this JVM, and so fail these tests, rather than pass unnoticed.
 */
@Tag("small-heap")
@IntegrationTest
class MemoryIsolationTest {

    private static final long HEAP_MB = Runtime.getRuntime().maxMemory() >> 20;

    @LocalServerPort
    int port;

    Functions attacker;
    Functions bystander;
    String normal;

    @BeforeEach
    void projects() {
        attacker = Functions.inNewProject(port);
        bystander = Functions.inNewProject(port);
        normal = bystander.deploy("def main():\n    return {'sum': sum(range(int(request.get('n', '10'))))}\n");
        assertNormalFunctionAnswers();
    }

    @Test
    void memoryAFunctionKeepsAcrossCallsIsReclaimedBeforeItFillsTheHeap() {
        assertHoardIsReclaimed();
    }

    @Test
    void aHoarderWhoseNextCallWouldFillTheHeapIsStoppedBeforeItDoes() {
        // With 22.5 % of the heap live before it, three calls leave the heap at ~82 %: under the share at which the
        // guard discards an idle context, and the fourth fills the heap. (A server killed this way on CI.)
        List<long[]> ballast = liveHeapRaisedTo(0.225);
        assertHoardIsReclaimed();
        Reference.reachabilityFence(ballast);
    }

    /**
     * A function that keeps a tenth of the heap each call, in 1 MB arrays: each of them takes two of G1's 1 MB regions,
     * so a call fills a fifth of the heap. Well under the quarter that marks one call as a bomb, so only the memory
     * held across calls can tell; five calls would fill the whole heap.
     */
    private void assertHoardIsReclaimed() {
        String hoarder = attacker.deploy("""
                KEPT = []

                def main():
                    for _ in range(int(request.get('mb'))):
                        KEPT.append(bytearray(1 << 20))
                    return len(KEPT)
                """, Map.of("timeout_s", 300));
        List<Integer> kept = new ArrayList<>();
        for (int call = 0; call < 24; call++) {
            AdminApi.Response response = attacker.get(hoarder, "mb=" + HEAP_MB / 10);
            assertThat(response.status()).as(response.body()).isIn(200, 500);
            if (response.status() == 200) {
                kept.add(response.json().get("result").asInt());
            } else {
                assertThat(response.json().get("error").asString()).contains("MemoryError");
                kept.add(0);
            }
            assertNormalFunctionAnswers();
        }
        // 24 calls would keep 2.4 heaps: the hoard must have been dropped (a new context, or a stopped call) on the way.
        assertThat(kept).as("megabytes kept after each call").isNotEqualTo(kept.stream().sorted().toList());
        assertThat(AdminApi.anonymous(port).get("/actuator/health").expect(200).body()).contains("UP");
    }

    /** Memory held by the test (in arrays well under a region each) so that this share of the heap is live. */
    private static List<long[]> liveHeapRaisedTo(double share) {
        System.gc(); // what is live now, the last test's garbage gone
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        List<long[]> ballast = new ArrayList<>();
        for (long held = live; held < share * Runtime.getRuntime().maxMemory(); held += 256 * 1024) {
            ballast.add(new long[32 * 1024]);
        }
        return ballast;
    }

    @Test
    void aCallAllocatingFarMoreThanTheHeapAtOnceGetsMemoryError() {
        assertBombIsContained("return len(bytearray(10 * 1024**3))", "Error");
    }

    @Test
    void aCallAllocatingStepByStepIsStoppedWithMemoryError() {
        // A timeout far beyond what the guard needs (it acts at half of a small heap) even on a loaded machine.
        assertBombIsContained("chunks = []\n    while True:\n        chunks.append(bytearray(10**7))", "MemoryError");
    }

    private void assertBombIsContained(String body, String errorContains) {
        String bomb = attacker.deploy("def main():\n    " + body + "\n", Map.of("timeout_s", 300));
        CompletableFuture<AdminApi.Response> attack = CompletableFuture.supplyAsync(() -> attacker.get(bomb, ""));

        assertNormalFunctionAnswers();
        AdminApi.Response response = attack.join();

        assertThat(response.status()).as(response.body()).isEqualTo(500);
        assertThat(response.json().get("error").asString()).contains(errorContains).doesNotContain("InternalError");
        assertNormalFunctionAnswers();
    }

    private void assertNormalFunctionAnswers() {
        AdminApi.Response response = bystander.get(normal, "n=100");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("result").get("sum").asInt()).isEqualTo(4950);
    }
}
