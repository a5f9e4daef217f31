package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The app users' pages in a real browser: the filtered list, creating a user, and one user's data, roles,
 * disabling, a new password and deleting. What the page does is checked in the page, through the admin API,
 * and, for logins, through the client API an app uses.
 */
@IntegrationTest
class ConsoleAppUsersInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;

    private Account owner;
    private Project project;
    private String clientKey; // the project's client key, made when a test first logs in



    @BeforeEach
    void signedInToAFreshProject() {
        clientKey = null;
        owner = browser.newAccount();
        project = browser.newProject(owner);
        browser.signIn(owner);
    }

    @Test
    void aUserCreatedInTheFormOpensItsPageAndIsListed() {
        createUser("grace@example.com", Map.of("roles", List.of("staff")));
        browser.open(project, "/users", "users");

        browser.type(By.id("new-user-email"), "ada@example.com");
        browser.type(By.id("new-user-password"), "analytical-engine");
        browser.type(By.id("new-user-roles"), "editor, beta");
        browser.type(By.id("new-user-data"), "{\"name\": \"Ada\", \"plan\": \"pro\"}");
        browser.find(By.id("create-user-button")).click();

        browser.awaitView("user");
        assertThat(browser.text(By.id("user-email"))).isEqualTo("ada@example.com");
        assertThat(browser.text(By.id("user-roles"))).isEqualTo("editor, beta");
        assertThat(browser.editorText(By.id("user-data-editor"))).contains("\"plan\": \"pro\"");
        JsonNode stored = user(browser.text(By.id("user-id")));
        assertThat(stored.get("email").asString()).isEqualTo("ada@example.com");
        assertThat(stored.at("/data/name").asString()).isEqualTo("Ada");
        assertThat(stored.get("roles").valueStream().map(JsonNode::asString).toList()).containsExactly("editor", "beta");
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(200);

        browser.open(project, "/users", "users");
        assertThat(listedEmails()).containsExactlyInAnyOrder("ada@example.com", "grace@example.com");
        assertThat(browser.text(By.cssSelector("#user-list tr[data-name='ada@example.com'] .roles"))).isEqualTo("editor, beta");
        assertThat(browser.text(By.id("user-total"))).isEqualTo("2 user(s)");
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("users");
    }

    @Test
    void invalidDataJsonIsRefusedInTheFormAndNoUserIsMade() {
        browser.open(project, "/users", "users");

        browser.type(By.id("new-user-email"), "ada@example.com");
        browser.type(By.id("new-user-password"), "analytical-engine");
        browser.type(By.id("new-user-data"), "{name: Ada}");
        browser.find(By.id("create-user-button")).click();

        browser.awaitFieldError("data", "data is not valid JSON, nothing was sent");
        assertThat(users().get("total").asInt()).isZero();
    }

    @Test
    void aPasswordTheServerRefusesShowsItsMessageNextToThePasswordField() {
        browser.open(project, "/users", "users");

        browser.type(By.id("new-user-email"), "ada@example.com");
        browser.type(By.id("new-user-password"), "short");
        browser.find(By.id("create-user-button")).click();

        browser.awaitFieldError("password", "password must be at least 8 characters");
        assertThat(users().get("total").asInt()).isZero();
    }

    @Test
    void anEmailInUseShowsTheServersMessageNextToTheEmailField() {
        createUser("ada@example.com", Map.of());
        browser.open(project, "/users", "users");

        browser.type(By.id("new-user-email"), "ADA@example.com");
        browser.type(By.id("new-user-password"), "analytical-engine");
        browser.find(By.id("create-user-button")).click();

        browser.awaitFieldError("email", "A user with email ADA@example.com already exists");
        assertThat(users().get("total").asInt()).isOne();
    }

    @Test
    void theListFiltersByEmailRoleAndStatus() {
        createUser("ada@example.com", Map.of("roles", List.of("editor")));
        createUser("adam@example.com", Map.of());
        String grace = createUser("grace@example.com", Map.of("roles", List.of("editor")));
        owner.api().patch(userPath(grace), Map.of("disabled", true)).expect(200);
        browser.open(project, "/users", "users");
        assertThat(listedEmails()).hasSize(3);

        browser.type(By.id("user-email-filter"), "ada");
        browser.find(By.id("user-filter-button")).click();
        browser.await().until(driver -> listedEmails().size() == 2);
        assertThat(listedEmails()).containsExactlyInAnyOrder("ada@example.com", "adam@example.com");

        browser.find(By.id("user-email-filter")).clear();
        browser.type(By.id("user-role-filter"), "editor");
        browser.find(By.id("user-filter-button")).click();
        browser.await().until(driver -> listedEmails().equals(List.of("grace@example.com", "ada@example.com")));

        browser.find(By.id("user-role-filter")).clear();
        new Select(browser.find(By.id("user-disabled-filter"))).selectByValue("true");
        browser.find(By.id("user-filter-button")).click();
        browser.await().until(driver -> listedEmails().equals(List.of("grace@example.com")));
        assertThat(browser.text(By.cssSelector("#user-list tr[data-name='grace@example.com'] [data-status]")))
                .isEqualTo("disabled");
    }

    @Test
    void editingDataAndRolesStoresThemOnTheUser() {
        String id = createUser("ada@example.com", Map.of("roles", List.of("reader"), "data",
                Map.of("name", "Ada", "city", "London")));
        browser.open(project, "/users/" + id, "user");
        assertThat(browser.editorText(By.id("user-data-editor"))).contains("\"city\": \"London\"");

        browser.type(By.id("user-roles-input"), "editor, admin");
        browser.setEditorText(By.id("user-data-editor"), "{\"name\": \"Ada Lovelace\", \"plan\": \"pro\"}");
        browser.find(By.id("save-user-button")).click();

        browser.awaitText(By.id("user-notice"), "Saved.");
        assertThat(browser.text(By.id("user-roles"))).isEqualTo("editor, admin");
        JsonNode stored = user(id);
        assertThat(stored.get("roles").valueStream().map(JsonNode::asString).toList()).containsExactly("editor", "admin");
        assertThat(stored.at("/data/name").asString()).isEqualTo("Ada Lovelace");
        assertThat(stored.at("/data/plan").asString()).isEqualTo("pro");
        assertThat(stored.at("/data/city").isNull()).as("a field taken out of the JSON is kept as null").isTrue();
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("user");
    }

    @Test
    void invalidDataJsonOnAUserIsRefusedNextToTheEditor() {
        String id = createUser("ada@example.com", Map.of("data", Map.of("name", "Ada")));
        browser.open(project, "/users/" + id, "user");

        browser.setEditorText(By.id("user-data-editor"), "{\"name\": ");
        browser.find(By.id("save-user-button")).click();

        browser.awaitFieldError("data", "data is not valid JSON, nothing was sent");
        assertThat(user(id).at("/data/name").asString()).isEqualTo("Ada");
    }

    @Test
    void disablingAUserRefusesItsLoginsAndEnablingLetsThemBackIn() {
        String id = createUser("ada@example.com", Map.of());
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(200);
        browser.open(project, "/users/" + id, "user");

        browser.find(By.id("toggle-disabled-button")).click();
        browser.confirm(null);

        browser.awaitText(By.id("user-status"), "disabled");
        browser.awaitText(By.id("user-notice"), "logins are refused");
        assertThat(user(id).get("disabled").asBoolean()).isTrue();
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(401);

        browser.find(By.id("toggle-disabled-button")).click();
        browser.awaitText(By.id("user-status"), "active");
        assertThat(user(id).get("disabled").asBoolean()).isFalse();
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(200);
    }

    @Test
    void aNewPasswordSetInThePageIsTheOneThatLogsIn() {
        String id = createUser("ada@example.com", Map.of());
        browser.open(project, "/users/" + id, "user");

        browser.type(By.id("new-password"), "difference-engine");
        browser.find(By.id("set-password-button")).click();

        browser.awaitText(By.id("user-notice"), "New password set");
        assertThat(browser.find(By.id("new-password")).getDomProperty("value")).isEmpty();
        assertThat(login("ada@example.com", "difference-engine")).isEqualTo(200);
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(401);
    }

    @Test
    void aTooShortNewPasswordShowsTheServersMessageAndChangesNothing() {
        String id = createUser("ada@example.com", Map.of());
        browser.open(project, "/users/" + id, "user");

        browser.type(By.id("new-password"), "short");
        browser.find(By.id("set-password-button")).click();

        browser.awaitFieldError("password", "password must be at least 8 characters");
        assertThat(login("ada@example.com", "analytical-engine")).isEqualTo(200);
    }

    @Test
    void deletingAUserAsksForItsEmailThenRemovesIt() {
        String id = createUser("ada@example.com", Map.of());
        browser.open(project, "/users/" + id, "user");

        browser.find(By.id("delete-user-button")).click();
        browser.confirm("ada@example.com");

        browser.awaitView("users");
        browser.awaitText(By.cssSelector("#user-list .empty-state"), "No app users yet");
        owner.api().get(userPath(id)).expect(404);
    }

    // ------------------------------------------------------------------ helpers

    private String userPath(String id) {
        return API + "/projects/" + project.id() + "/users/" + id;
    }

    /** A user with the password "analytical-engine" and the given roles and data; its id. */
    private String createUser(String email, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("email", email);
        body.put("password", "analytical-engine");
        return owner.api().post(API + "/projects/" + project.id() + "/users", body).expect(201).json()
                .get("id").asString();
    }

    private JsonNode user(String id) {
        return owner.api().get(userPath(id)).expect(200).json();
    }

    private JsonNode users() {
        return owner.api().get(API + "/projects/" + project.id() + "/users").expect(200).json();
    }

    /** The status of a login through the client API, as the project's app would send it. */
    private int login(String email, String password) {
        if (clientKey == null) {
            clientKey = owner.api().post(API + "/projects/" + project.id() + "/keys", Map.of("kind", "client"))
                    .expect(201).json().get("key").asString();
        }
        return AdminApi.anonymous(port).send("POST", "/auth-collections/login",
                Map.of("email", email, "password", password), Map.of("x-api-key", clientKey)).status();
    }

    /** The emails the list shows, top to bottom (read in one go: the list may be re-rendering). */
    @SuppressWarnings("unchecked")
    private List<String> listedEmails() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#user-list tbody tr')].map(r => r.dataset.name)");
    }
}
