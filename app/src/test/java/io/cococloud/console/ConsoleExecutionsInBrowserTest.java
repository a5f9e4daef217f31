package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Executions in the console: the lists of a function and of the project fill in by themselves as calls come in,
 * filter by status, and one execution shows what the call printed, logged and raised, with the line of the
 * function's code the traceback points at.
 */
@IntegrationTest
class ConsoleExecutionsInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;




    private record Deployed(String id, String name) {}

    private static Deployed deploy(Account owner, Project project, String name, String code) {
        String id = owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", name, "code", code))
                .expect(201).json().get("id").asString();
        return new Deployed(id, name);
    }

    private AdminApi.Response call(Deployed fn) {
        return AdminApi.anonymous(port).post("/functions/" + fn.id() + "/execute", Map.of());
    }

    /** The function's executions once the server has recorded {@code count} (a call's record follows its answer). */
    private static JsonNode recordedExecutions(Account owner, Project project, String function, int count) {
        String path = API + "/projects/" + project.id() + "/functions/" + function + "/executions?limit=500";
        return await().atMost(Duration.ofSeconds(30)).until(() -> owner.api().get(path).expect(200).json(),
                list -> list.size() == count);
    }

    /** The statuses the list shows, top to bottom. */
    private static List<String> shownStatuses() {
        return browser.findAll(By.cssSelector("#execution-list tbody tr")).stream()
                .map(row -> row.findElement(By.cssSelector(".execution-status .badge")).getText()).toList();
    }

    private static void awaitRows(int count) {
        browser.await().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#execution-list tbody tr"), count));
    }

    @Test
    void aCallThroughTheFunctionUrlAppearsInTheFunctionsListWithoutReloading() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed hello = deploy(owner, project, "hello", "def main():\n    return {'hello': 'world'}\n");
        browser.signIn(owner);
        browser.open(project, "/functions/hello/executions", "executions");
        browser.awaitText(By.cssSelector("#execution-list .empty-state"), "No executions yet");

        call(hello).expect(200);

        awaitRows(1); // the page was not reloaded: it refreshed by itself
        WebElement row = browser.find(By.cssSelector("#execution-list tbody tr"));
        assertThat(row.findElement(By.cssSelector(".execution-status .badge")).getText()).isEqualTo("success");
        assertThat(row.findElement(By.cssSelector(".execution-trigger")).getText()).isEqualTo("http");
        assertThat(row.findElement(By.cssSelector(".execution-http")).getText()).isEqualTo("200");
        String recorded = recordedExecutions(owner, project, "hello", 1).get(0).get("id").asString();
        assertThat(row.getAttribute("data-id")).isEqualTo(recorded);
        assertThat(browser.text(By.id("last-refreshed"))).contains("last at");
    }

    @Test
    void aCallAppearsInTheProjectsListWithItsFunctionWithoutReloading() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed hello = deploy(owner, project, "hello", "def main():\n    return 'hi'\n");
        Deployed broken = deploy(owner, project, "broken", "def main():\n    raise ValueError('no')\n");
        call(hello).expect(200);
        browser.signIn(owner);
        browser.open(project, "/executions", "executions");
        awaitRows(1);

        call(broken);

        awaitRows(2);
        assertThat(shownStatuses()).containsExactly("error", "success"); // newest first
        List<String> functions = browser.findAll(By.cssSelector("#execution-list .execution-function")).stream()
                .map(WebElement::getText).toList();
        assertThat(functions).containsExactly("broken", "hello");
        browser.screenshot("executions");
    }

    @Test
    void filteringByStatusErrorShowsOnlyTheFailedCalls() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed fine = deploy(owner, project, "fine", "def main():\n    return 'ok'\n");
        Deployed failing = deploy(owner, project, "failing", "def main():\n    return 1 / 0\n");
        call(fine).expect(200);
        call(failing);
        call(fine).expect(200);
        call(failing);
        browser.signIn(owner);
        browser.open(project, "/executions", "executions");
        awaitRows(4);

        new Select(browser.find(By.id("filter-status"))).selectByValue("error");

        awaitRows(2);
        assertThat(shownStatuses()).containsExactly("error", "error");
        assertThat(browser.findAll(By.cssSelector("#execution-list .execution-function")).stream()
                .map(WebElement::getText)).containsOnly("failing");
        JsonNode failed = owner.api().get(API + "/projects/" + project.id() + "/functions/failing/executions?status=error")
                .expect(200).json();
        assertThat(failed.size()).isEqualTo(2);
        assertThat(browser.findAll(By.cssSelector("#execution-list tbody tr")).stream()
                .map(row -> row.getAttribute("data-id")))
                .containsExactly(failed.get(0).get("id").asString(), failed.get(1).get("id").asString());
    }

    @Test
    void filteringByFunctionShowsOnlyItsCalls() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed one = deploy(owner, project, "one", "def main():\n    return 1\n");
        Deployed two = deploy(owner, project, "two", "def main():\n    return 2\n");
        call(one).expect(200);
        call(two).expect(200);
        call(two).expect(200);
        browser.signIn(owner);
        browser.open(project, "/executions", "executions");
        awaitRows(3);

        new Select(browser.find(By.id("filter-function"))).selectByVisibleText("one");

        awaitRows(1);
        assertThat(browser.text(By.cssSelector("#execution-list .execution-function"))).isEqualTo("one");
        assertThat(browser.find(By.cssSelector("#execution-list tbody tr")).getAttribute("data-id"))
                .isEqualTo(recordedExecutions(owner, project, "one", 1).get(0).get("id").asString());
    }

    @Test
    void theProjectsListFitsATabletWithoutScrollingThePageSideways() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed failing = deploy(owner, project, "a_function_with_a_rather_long_name",
                "def main():\n    raise RuntimeError('a long message that explains at length what went wrong here')\n");
        call(failing);
        browser.signIn(owner);

        browser.atWidth(768, () -> {
            browser.open(project, "/executions", "executions");
            awaitRows(1);
            // The table may scroll inside its frame; the page itself does not.
            Number overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
            assertThat(browser.find(By.id("filter-status")).isDisplayed()).isTrue();
        });
    }

    @Test
    void anExecutionPageShowsTheOutputLogsAndTracebackOfAFailingCall() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed divide = deploy(owner, project, "divide", """
                import logging

                def main():
                    print('dividing by zero')
                    logging.getLogger('divide').warning('about to fail')
                    return 1 / 0
                """);
        call(divide);
        JsonNode recorded = recordedExecutions(owner, project, "divide", 1).get(0);
        browser.signIn(owner);
        browser.open(project, "/functions/divide/executions", "executions");
        awaitRows(1);

        browser.clickAndAwait(By.cssSelector("#execution-list .execution-link"), "execution");

        assertThat(browser.text(By.id("execution-id"))).isEqualTo(recorded.get("id").asString());
        assertThat(browser.text(By.cssSelector("#execution-status .badge"))).isEqualTo("error");
        assertThat(browser.text(By.id("execution-output"))).contains("dividing by zero");
        assertThat(browser.text(By.id("execution-logs"))).contains("about to fail");
        assertThat(browser.text(By.id("execution-error"))).contains("ZeroDivisionError");
        assertThat(browser.text(By.id("execution-traceback"))).contains("ZeroDivisionError").contains("line 6");
        WebElement where = browser.find(By.id("traceback-link"));
        assertThat(where.getText()).isEqualTo("divide.py, line 6");
        assertThat(where.getAttribute("href")).contains("#/p/" + project.slug() + "/functions/divide");
        browser.script("document.querySelector('.execution-title').scrollIntoView()"); // below the function's header
        browser.screenshot("execution");

        browser.clickAndAwait(By.id("traceback-link"), "function-code");
        browser.awaitText(By.cssSelector("code-editor[data-file='divide.py'] .cm-error-message[data-line='6']"),
                "The traceback of the execution you came from points here");
    }

    @Test
    void anAsyncExecutionPageRefreshesUntilTheCallHasFinished() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed gated = deploy(owner, project, "gated", """
                import time

                def main():
                    gate = request.get('gate')
                    while db.find_one('gates', id=gate) is None:
                        time.sleep(0.2)
                    print('through', gate)
                    return {'gate': gate}
                """);
        Deployed opener = deploy(owner, project, "opener",
                "def main():\n    db.create_document('gates', {'id': request.get('gate')})\n    return 'open'\n");
        String gate = UUID.randomUUID().toString();
        String id = AdminApi.anonymous(port).post("/functions/" + gated.id() + "/async-invoke/", Map.of("gate", gate)).expect(202).json().get("execution_id").asString();
        browser.signIn(owner);
        browser.open(project, "/functions/gated/executions/" + id, "execution");
        // It cannot finish before the gate opens: the page says it is waiting or running, and that it refreshes.
        assertThat(browser.text(By.cssSelector("#execution-status .badge"))).isIn("queued", "running");
        assertThat(browser.text(By.id("execution-refreshing"))).contains("refreshes by itself");

        AdminApi.anonymous(port).post("/functions/" + opener.id() + "/execute", Map.of("gate", gate)).expect(200);

        browser.awaitText(By.cssSelector("#execution-status .badge"), "success");
        assertThat(browser.findAll(By.id("execution-refreshing"))).isEmpty();
        assertThat(browser.text(By.id("execution-trigger"))).isEqualTo("async");
        assertThat(browser.text(By.id("execution-output"))).isEqualTo("through " + gate);
        assertThat(browser.findAll(By.cssSelector("#attempt-history tbody tr"))).hasSize(1);
        assertThat(browser.text(By.cssSelector("#attempt-history tbody tr"))).contains("success");
        assertThat(browser.text(By.id("result-status"))).isEqualTo("200");
        assertThat(browser.text(By.id("result-body"))).contains(gate);
    }

    @Test
    void olderPagesBackPastTheFirstFifty() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        Deployed ping = deploy(owner, project, "ping", "def main():\n    return 'pong'\n");
        for (int i = 0; i < 51; i++) {
            call(ping).expect(200);
        }
        JsonNode all = recordedExecutions(owner, project, "ping", 51);
        browser.signIn(owner);
        browser.open(project, "/functions/ping/executions", "executions");
        awaitRows(50);

        browser.find(By.id("older-button")).click();

        awaitRows(51);
        List<WebElement> rows = browser.findAll(By.cssSelector("#execution-list tbody tr"));
        assertThat(rows.get(50).getAttribute("data-id")).isEqualTo(all.get(50).get("id").asString());
        assertThat(rows.get(0).getAttribute("data-id")).isEqualTo(all.get(0).get("id").asString());
        browser.await().until(ExpectedConditions.numberOfElementsToBe(By.id("older-button"), 0));
    }
}
