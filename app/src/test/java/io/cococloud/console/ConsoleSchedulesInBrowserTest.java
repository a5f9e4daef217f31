package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A function's schedules in the console (docs/schedules.md): added from the form with the server's refusal shown
 * at the field it names, paused, and deleted.
 */
@IntegrationTest
class ConsoleSchedulesInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    private static String schedulesPath(Project project) {
        return API + "/projects/" + project.id() + "/functions/report/schedules";
    }

    private static Project projectWithReport(Account owner) {
        Project project = browser.newProject(owner);
        owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", "report",
                "code", "def main():\n    return request.get('kind')\n")).expect(201);
        return project;
    }

    @Test
    void aScheduleAddedInTheFormIsListedWithItsNextRun() {
        Account owner = browser.newAccount();
        Project project = projectWithReport(owner);
        browser.signIn(owner);
        browser.open(project, "/functions/report/schedules", "function-schedules");

        browser.type(By.id("schedule-cron"), "0 0 9 1 1 *");
        browser.type(By.id("schedule-zone"), "Europe/Paris");
        browser.type(By.id("schedule-payload"), "{\"kind\": \"yearly\"}");
        browser.find(By.id("add-schedule-button")).click();

        browser.awaitText(By.cssSelector("#schedule-list .schedule-cron"), "0 0 9 1 1 *");
        JsonNode stored = owner.api().get(schedulesPath(project)).expect(200).json().get(0);
        assertThat(stored.get("time_zone").asString()).isEqualTo("Europe/Paris");
        assertThat(stored.get("payload").get("kind").asString()).isEqualTo("yearly");
        assertThat(browser.text(By.cssSelector("#schedule-list .schedule-next"))).isNotEqualTo("—");
        browser.screenshot("function-schedules");
    }

    @Test
    void aWrongCronShowsTheServersMessageNextToTheCron() {
        Account owner = browser.newAccount();
        Project project = projectWithReport(owner);
        browser.signIn(owner);
        browser.open(project, "/functions/report/schedules", "function-schedules");

        browser.type(By.id("schedule-cron"), "*/5 * * * *");
        browser.find(By.id("add-schedule-button")).click();

        browser.awaitFieldError("cron", "cron is not a valid cron expression");
        assertThat(browser.find(By.id("schedule-cron")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(owner.api().get(schedulesPath(project)).expect(200).json().size()).isZero();
    }

    @Test
    void aScheduleIsPausedAndThenDeleted() {
        Account owner = browser.newAccount();
        Project project = projectWithReport(owner);
        owner.api().post(schedulesPath(project), Map.of("cron", "@daily")).expect(201);
        browser.signIn(owner);
        browser.open(project, "/functions/report/schedules", "function-schedules");

        browser.find(By.cssSelector("#schedule-list .schedule-toggle")).click();

        browser.awaitText(By.cssSelector("#schedule-list .badge"), "disabled");
        assertThat(owner.api().get(schedulesPath(project)).expect(200).json().get(0).get("enabled").asBoolean())
                .isFalse();

        browser.find(By.cssSelector("#schedule-list .schedule-delete")).click();
        browser.confirm(null);

        browser.awaitText(By.id("schedule-list"), "No schedules yet");
        assertThat(owner.api().get(schedulesPath(project)).expect(200).json().size()).isZero();
    }
}
