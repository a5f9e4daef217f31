package io.cococloud.data;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * db.query's total (docs/functions.md#db): has_more comes from one extra row, and the total is counted only when a
 * function reads it, then exactly, with the page's own filters. Whether a count ran is read off the
 * {@code cococloud.documents.counts} counter of its project, which every count of documents increments.
 */
@IntegrationTest
class QueryTotalTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        // 12 posts, 8 of them published, of which 6 have 100 views or more (post-4, 5, 7, 8, 10, 11)
        functions.runMain("""
                for i in range(1, 13):
                    db.create_document('posts', {'id': f'post-{i:02d}', 'views': i * 25,
                                                 'status': 'published' if i % 3 else 'draft'})
                return True
                """);
    }

    private double counts() {
        // the project's own series: counts other projects' background work may run meanwhile are not this test's
        Counter counter = registry.find("cococloud.documents.counts").tag("project", functions.projectId()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Runs the body as main() and answers its result, and how many counts of documents it ran. */
    private record Run(JsonNode result, double counts) {
    }

    private Run run(String body) {
        String id = functions.deploy("def main():\n" + body.indent(4));
        double before = counts();
        JsonNode result = functions.get(id, "").expect(200).json().get("result");
        return new Run(result, counts() - before);
    }

    @Test
    void aFunctionThatNeverReadsTheTotalCausesNoCount() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=2)
                return [d['id'] for d in page['data']] + [page['has_more']]
                """);

        assertThat(run.counts()).isZero();
        assertThat(run.result().toString()).isEqualTo("[\"post-11\",\"post-10\",true]");
    }

    @Test
    void readingTheTotalCountsOnceAndExactlyWithThePagesFilters() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=2)
                return [page['total'], page.get('total'), page['total'] + 1]
                """);

        assertThat(run.result().toString()).isEqualTo("[6,6,7]");
        assertThat(run.counts()).isEqualTo(1);
    }

    @Test
    void returningTheResultShowsTheTotal() {
        Run run = run("return db.query('posts', status='published', views_gte='100', limit=2, offset=1)");

        assertThat(run.result().get("total").asInt()).isEqualTo(6);
        assertThat(run.result().get("has_more").asBoolean()).isTrue();
        assertThat(run.result().propertyNames()).containsExactly("data", "total", "limit", "offset", "has_more");
    }

    @Test
    void jsonDumpsAndReprOfTheResultShowTheTotal() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=2)
                return [json.loads(json.dumps(page))['total'], repr(page).count("'total': 6")]
                """);

        assertThat(run.result().toString()).isEqualTo("[6,1]");
    }

    @Test
    void theDictsOtherReadingsSeeTheTotal() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=2)
                same = {'data': page['data'], 'total': 6, 'limit': 2, 'offset': 0, 'has_more': True}
                return [dict(page.items())['total'], list(page.values())[1], {k: page[k] for k in page}['total'],
                        page.copy()['total'], dict(page)['total'], page == same, isinstance(page, dict)]
                """);

        assertThat(run.result().toString()).isEqualTo("[6,6,6,6,6,true,true]");
    }

    @Test
    void aCopyMadePastTheDictsMethodsStillCountsWhenReadAndReturned() {
        Run run = run("""
                page = {**db.query('posts', status='published', views_gte=100, limit=2), 'page': 1}
                return page
                """);

        assertThat(run.result().get("total").asInt()).isEqualTo(6);
        assertThat(run.result().get("page").asInt()).isEqualTo(1);
    }

    @Test
    void hasMoreIsFalseWhenTheMatchesFillThePageExactly() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=6)
                return [len(page['data']), page['has_more'], page['total']]
                """);

        assertThat(run.result().toString()).isEqualTo("[6,false,6]");
        assertThat(run.counts()).as("a last page tells its total").isZero();
    }

    @Test
    void aLastPageReturnedShowsItsTotalWithTheKeysInOrder() {
        Run run = run("return db.query('posts', status='published', views_gte=100, limit=4, offset=4)");

        assertThat(run.result().get("total").asInt()).isEqualTo(6);
        assertThat(run.result().propertyNames()).containsExactly("data", "total", "limit", "offset", "has_more");
        assertThat(run.counts()).isZero();
    }

    @Test
    void hasMoreIsTrueWhenOneMatchIsLeftAfterThePage() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=5)
                return [len(page['data']), page['has_more']]
                """);

        assertThat(run.result().toString()).isEqualTo("[5,true]");
    }

    @Test
    void aShortPageKnowsItsTotalWithoutCounting() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=4, offset=4)
                return [len(page['data']), page['has_more'], page['total']]
                """);

        assertThat(run.result().toString()).isEqualTo("[2,false,6]");
        assertThat(run.counts()).isZero();
    }

    @Test
    void anEmptyPagePastTheEndCountsTheRealTotal() {
        Run run = run("""
                page = db.query('posts', status='published', views_gte=100, limit=4, offset=40)
                return [page['data'], page['has_more'], page['total']]
                """);

        assertThat(run.result().toString()).isEqualTo("[[],false,6]");
        assertThat(run.counts()).isEqualTo(1);
    }

    @Test
    void findOneNeverCounts() {
        Run run = run("return db.find_one('posts', status='published')['status']");

        assertThat(run.result().asString()).isEqualTo("published");
        assertThat(run.counts()).isZero();
    }

    @Test
    void aProjectsCountSeriesGoesWithTheProject() {
        run("return db.query('posts', status='published', limit=2)['total']");
        assertThat(registry.find(DocumentService.COUNTS).tag("project", functions.projectId()).counter()).isNotNull();

        functions.owner().delete(API + "/projects/" + functions.projectId()).expect(204);

        await().untilAsserted(() -> assertThat(
                registry.find(DocumentService.COUNTS).tag("project", functions.projectId()).counter()).isNull());
    }
}
