package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A function's hooks and a collection's webhook in the console (docs/hooks.md): a hook added from the form with
 * the server's refusal shown at the field it names, deleted, read-only for viewers; a webhook set on the
 * collection's page with its secret shown, refused for an internal address, and removed.
 */
@IntegrationTest
class ConsoleHooksInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    private static String hooksPath(Project project) {
        return API + "/projects/" + project.id() + "/hooks";
    }

    private static String webhookPath(Project project, String collection) {
        return API + "/projects/" + project.id() + "/collections/" + collection + "/webhook";
    }

    private static String newFunction(Account owner, Project project, String name) {
        return owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", name,
                "code", "def main():\n    return request.get('event_type')\n")).expect(201).json().get("id")
                .asString();
    }

    private static void newHook(Account owner, Project project, String functionId, String collection) {
        owner.api().post(hooksPath(project), Map.of("function_id", functionId, "collection", collection,
                "timing", "after", "events", List.of("documents.create"))).expect(201);
    }

    private static void newCollection(Account owner, Project project, String name) {
        owner.api().post(API + "/projects/" + project.id() + "/collections", Map.of("name", name)).expect(201);
    }

    private static void check(String event) {
        browser.awaitIdle();
        browser.find(By.cssSelector("#hook-events input[value='" + event + "']")).click();
    }

    private static List<String> offeredEvents() {
        browser.awaitIdle();
        return browser.findAll(By.cssSelector("#hook-events input[name='events']")).stream()
                .map(box -> box.getDomAttribute("value")).toList();
    }

    // ------------------------------------------------------------------ hooks

    @Test
    void aHookAddedInTheFormIsListedAndStoredForThisFunction() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        String audit = newFunction(owner, project, "audit");
        browser.signIn(owner);
        browser.open(project, "/functions/audit/hooks", "function-hooks");

        browser.type(By.id("hook-collection"), "orders");
        check("documents.create");
        check("documents.delete");
        browser.find(By.id("add-hook-button")).click();

        browser.awaitText(By.cssSelector("#hook-list .hook-collection"), "orders");
        JsonNode stored = owner.api().get(hooksPath(project)).expect(200).json().get(0);
        assertThat(stored.get("function_id").asString()).isEqualTo(audit);
        assertThat(stored.get("collection").asString()).isEqualTo("orders");
        assertThat(stored.get("timing").asString()).isEqualTo("after");
        assertThat(stored.get("events").valueStream().map(JsonNode::asString).toList())
                .containsExactly("documents.create", "documents.delete");
        browser.screenshot("function-hooks");
    }

    @Test
    void aBeforeHookIsOfferedOnlyTheEventsABeforeHookTakes() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newFunction(owner, project, "audit");
        browser.signIn(owner);
        browser.open(project, "/functions/audit/hooks", "function-hooks");
        assertThat(offeredEvents()).contains("documents.delete", "users.login");

        new Select(browser.find(By.id("hook-timing"))).selectByValue("before");

        assertThat(offeredEvents()).containsExactly("documents.create", "documents.update", "documents.delete");
        check("documents.update");
        browser.find(By.id("add-hook-button")).click();
        browser.awaitText(By.cssSelector("#hook-list .hook-timing"), "before");
        JsonNode stored = owner.api().get(hooksPath(project)).expect(200).json().get(0);
        assertThat(stored.get("timing").asString()).isEqualTo("before");
        assertThat(stored.get("collection").isNull()).isTrue();
    }

    @Test
    void aRefusedHookShowsTheServersMessageAtTheFieldItNames() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newFunction(owner, project, "audit");
        browser.signIn(owner);
        browser.open(project, "/functions/audit/hooks", "function-hooks");

        browser.type(By.id("hook-collection"), "orders");
        check("users.login");
        browser.find(By.id("add-hook-button")).click();

        browser.awaitFieldError("collection", "users.* events belong to no collection");
        assertThat(browser.find(By.id("hook-collection")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(owner.api().get(hooksPath(project)).expect(200).json().size()).isZero();
    }

    @Test
    void onlyTheHooksOfThisFunctionAreListed() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newHook(owner, project, newFunction(owner, project, "audit"), "orders");
        newHook(owner, project, newFunction(owner, project, "mailer"), "invoices");
        browser.signIn(owner);
        browser.open(project, "/functions/audit/hooks", "function-hooks");

        List<String> listed = browser.findAll(By.cssSelector("#hook-list .hook-collection")).stream()
                .map(WebElement::getText).toList();
        assertThat(listed).containsExactly("orders");
    }

    @Test
    void aHookIsDeletedAfterConfirming() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newHook(owner, project, newFunction(owner, project, "audit"), "orders");
        browser.signIn(owner);
        browser.open(project, "/functions/audit/hooks", "function-hooks");

        browser.find(By.cssSelector("#hook-list .hook-delete")).click();
        browser.confirm(null);

        browser.awaitText(By.id("hook-list"), "No hooks run this function yet");
        assertThat(owner.api().get(hooksPath(project)).expect(200).json().size()).isZero();
    }

    @Test
    void aViewerSeesTheHooksButNoFormAndNoDeleteButton() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newHook(owner, project, newFunction(owner, project, "audit"), "orders");
        Account viewer = browser.newAccount();
        owner.api().addMember(project.id(), viewer.api(), "viewer");
        browser.signIn(viewer);
        browser.open(project, "/functions/audit/hooks", "function-hooks");

        assertThat(browser.text(By.cssSelector("#hook-list .hook-collection"))).isEqualTo("orders");
        assertThat(browser.findAll(By.id("hook-form"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector(".hook-delete"))).isEmpty();
    }

    // ------------------------------------------------------------------ webhooks

    @Test
    void aWebhookSetOnTheCollectionsPageShowsItsUrlAndItsNewSecret() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newCollection(owner, project, "orders");
        browser.signIn(owner);
        browser.open(project, "/data/orders", "documents");

        browser.type(By.id("webhook-url-input"), "http://127.0.0.1:9/orders");
        browser.find(By.id("set-webhook-button")).click();

        browser.awaitText(By.id("webhook-url"), "http://127.0.0.1:9/orders");
        JsonNode stored = owner.api().get(webhookPath(project, "orders")).expect(200).json();
        assertThat(stored.get("url").asString()).isEqualTo("http://127.0.0.1:9/orders");
        assertThat(browser.text(By.id("webhook-secret"))).isEqualTo(stored.get("secret").asString());
        assertThat(browser.text(By.id("webhook-secret-state"))).isEqualTo("set");
        browser.screenshot("collection-webhook");
    }

    @Test
    void aWebhookToAnInternalAddressIsRefusedAtTheUrl() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newCollection(owner, project, "orders");
        browser.signIn(owner);
        browser.open(project, "/data/orders", "documents");

        browser.type(By.id("webhook-url-input"), "http://10.1.2.3/orders");
        browser.find(By.id("set-webhook-button")).click();

        browser.awaitFieldError("url", "internal address");
        owner.api().get(webhookPath(project, "orders")).expect(404);
    }

    @Test
    void aWebhookIsRemovedAfterConfirming() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        newCollection(owner, project, "orders");
        owner.api().put(webhookPath(project, "orders"), Map.of("url", "http://127.0.0.1:9/orders")).expect(200);
        browser.signIn(owner);
        browser.open(project, "/data/orders", "documents");
        assertThat(browser.text(By.id("webhook-url"))).isEqualTo("http://127.0.0.1:9/orders");
        assertThat(browser.findAll(By.id("webhook-secret"))).isEmpty();

        browser.find(By.id("remove-webhook-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("webhook-url"), "No webhook");
        owner.api().get(webhookPath(project, "orders")).expect(404);
    }
}
