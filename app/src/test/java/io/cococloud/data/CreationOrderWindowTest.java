package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A filtered page in creation order is looked for first among the collection's newest (or oldest) documents, 20 per
 * row the page needs ({@link CreationOrderWindow}), and read by the planner's plan when they hold too few matches.
 * Whichever reads it, the page is the same: these pages are chosen so that a window that answered with what it found,
 * or looked at the wrong end of the collection, would answer wrongly. The project holds 120 posts, post-001 the oldest;
 * a page of one row with {@code has_more} needs 2 rows, so its window is the newest (or oldest) 40. What the window
 * did is read off its project's {@code cococloud.documents.page.windows} counters.
 */
@IntegrationTest
class CreationOrderWindowTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        // post-120 and post-001..003 are "hot"; every even post is "even"
        functions.runMain("""
                for i in range(1, 121):
                    db.create_document('posts', {'id': f'post-{i:03d}', 'n': i,
                                                 'hot': i == 120 or i <= 3, 'even': i % 2 == 0})
                return True
                """);
    }

    private String page(String arguments) {
        return functions.runMain("""
                page = db.query('posts', %s)
                return [d['id'] for d in page['data']] + [page['has_more']]
                """.formatted(arguments)).toString();
    }

    private double windows(String outcome) {
        Counter counter = registry.find(CreationOrderWindow.WINDOWS).tag("project", functions.projectId())
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCommonFilterIsAnsweredFromTheWindow() {
        assertThat(page("even=True, limit=10")).startsWith("[\"post-120\",\"post-118\"");

        assertThat(windows("found")).isEqualTo(1);
        assertThat(windows("missed")).isZero();
    }

    @Test
    void aRareFilterMissesTheWindowOnceAndThenGoesStraightToThePlanner() {
        assertThat(page("n_lte=3, limit=1")).isEqualTo("[\"post-003\",true]");
        assertThat(page("n_lte=3, limit=1")).isEqualTo("[\"post-003\",true]");

        assertThat(windows("missed")).isEqualTo(1);
        assertThat(windows("remembered")).isEqualTo(1);
        assertThat(windows("found")).isZero();
    }

    @Test
    void aPageWithoutFiltersOrInAnotherOrderIsLeftToThePlanner() {
        assertThat(page("limit=1")).isEqualTo("[\"post-120\",true]");
        assertThat(page("even=True, sort='n', limit=1")).isEqualTo("[\"post-120\",true]");

        assertThat(windows("found") + windows("missed") + windows("remembered")).isZero();
    }

    @Test
    void aProjectsWindowSeriesGoWithTheProject() {
        page("even=True, limit=1");
        assertThat(windows("found")).isEqualTo(1);

        functions.owner().delete(API + "/projects/" + functions.projectId()).expect(204);

        await().untilAsserted(() -> assertThat(registry.find(CreationOrderWindow.WINDOWS)
                .tag("project", functions.projectId()).meters()).isEmpty());
    }

    @Test
    void matchesOnlyOlderThanTheWindowAreStillFound() {
        assertThat(page("n_lte=3, limit=1")).isEqualTo("[\"post-003\",true]");
    }

    @Test
    void aWindowHoldingPartOfThePageLeavesTheWholePageToThePlanner() {
        // post-120 is in the newest 40, post-003 is not: the page is post-120, and there is more
        assertThat(page("hot=True, limit=1")).isEqualTo("[\"post-120\",true]");
    }

    @Test
    void aPageWithinTheWindowIsTheWholeCollectionsPage() {
        // 5 rows needed: the newest 100
        assertThat(page("even=True, limit=2, offset=2")).isEqualTo("[\"post-116\",\"post-114\",true]");
    }

    @Test
    void ascendingCreationOrderLooksAmongTheOldest() {
        // the newest 40 hold even posts too: a window at the wrong end would answer post-082
        assertThat(page("even=True, sort='created_at', order='asc', limit=1")).isEqualTo("[\"post-002\",true]");
    }

    @Test
    void aPageShorterThanAskedIsTheLast() {
        assertThat(page("n_gte=118, limit=3")).isEqualTo("[\"post-120\",\"post-119\",\"post-118\",false]");
    }

    @Test
    void documentsCreatedTogetherArePagedByIdWithinTheirSharedTime() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            batch.add(Map.of("id", "b-" + i, "odd", i % 2 == 1));
        }
        ClientApp.forProject(port, functions)
                .server("POST", "/collections/batch/batch/documents/create", Map.of("documents", batch)).expect(201);
        String page = functions.runMain("""
                page = db.query('batch', odd=True, limit=2, offset=1)
                return [d['id'] for d in page['data']]
                """).toString();

        assertThat(page).isEqualTo("[\"b-5\",\"b-3\"]");
    }

    @Test
    void aQueryWhoseWindowMissedSeesDocumentsCreatedAfterIt() {
        assertThat(page("n_gte=1000, limit=1")).isEqualTo("[false]");
        functions.runMain("""
                db.create_document('posts', {'id': 'post-121', 'n': 1000})
                return True
                """);

        assertThat(page("n_gte=1000, limit=1")).isEqualTo("[\"post-121\",false]");
    }
}
