package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The data pages in a real browser: collections with their counts, permissions, relations and indexes; one
 * collection's documents with the filter language, sorting, paging and a JSON editor. Each test sets up through
 * the admin API, acts in the page, and checks what the page shows and what the server then holds.
 */
@IntegrationTest
class ConsoleDataInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;

    private Account owner;
    private Project project;



    @BeforeEach
    void signedInToAFreshProject() {
        owner = browser.newAccount();
        project = browser.newProject(owner);
        browser.signIn(owner);
    }

    // ------------------------------------------------------------------ collections

    @Test
    void aCollectionCreatedWithAReadRuleIsListedWithItsRuleCountRelationAndIndex() {
        createCollection("authors", Map.of());
        addDocument("authors", Map.of("name", "Ada"));
        addDocument("authors", Map.of("name", "Grace"));
        browser.open(project, "/data", "collections");

        browser.type(By.id("create-name"), "posts");
        browser.type(By.id("create-read"), "member, editor");
        browser.type(By.id("create-create"), "editor");
        browser.type(By.id("create-relations"), "author: authors");
        browser.type(By.id("create-indexes"), "views");
        browser.find(By.id("create-collection-button")).click();

        WebElement row = row("posts");
        assertThat(row.findElement(By.cssSelector("[data-rule='read']")).getText()).isEqualTo("member, editor");
        assertThat(row.findElement(By.cssSelector("[data-rule='create']")).getText()).isEqualTo("editor");
        assertThat(row.findElement(By.cssSelector("[data-rule='delete']")).getText()).isEqualTo("public");
        assertThat(row.findElement(By.cssSelector("[data-relation='author']")).getText()).isEqualTo("author → authors");
        assertThat(row.findElement(By.cssSelector(".indexes")).getText()).isEqualTo("views");
        assertThat(row.findElement(By.cssSelector(".document-count")).getText()).isEqualTo("0");
        assertThat(row("authors").findElement(By.cssSelector(".document-count")).getText()).isEqualTo("2");

        JsonNode stored = owner.api().get(collectionPath("posts")).expect(200).json();
        assertThat(stored.at("/permissions/read").valueStream().map(JsonNode::asString).toList())
                .containsExactly("member", "editor");
        assertThat(stored.at("/permissions/create/0").asString()).isEqualTo("editor");
        assertThat(stored.at("/relations/author/collection").asString()).isEqualTo("authors");
        assertThat(stored.at("/indexes/0").asString()).isEqualTo("views");
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("data-collections");
    }

    @Test
    void aSettingTheServerRefusesShowsNextToItsField() {
        browser.open(project, "/data", "collections");

        browser.type(By.id("create-name"), "posts");
        browser.type(By.id("create-indexes"), "created_at");
        browser.find(By.id("create-collection-button")).click();

        assertThat(browser.awaitFieldError("indexes", "'created_at' is indexed already")).contains("list data fields");
        owner.api().get(collectionPath("posts")).expect(404);
    }

    @Test
    void aRelationToAnImpossibleCollectionNameShowsTheServersMessageNextToTheRelations() {
        createCollection("posts", Map.of());
        browser.open(project, "/data", "collections");

        row("posts").findElement(By.cssSelector(".edit-collection-button")).click();
        browser.type(By.id("edit-relations"), "author: no/such");
        browser.find(By.id("edit-collection-button")).click();

        browser.awaitFieldError("relations", "collection name 'no/such' must be");
        assertThat(owner.api().get(collectionPath("posts")).expect(200).json().get("relations").isEmpty()).isTrue();
    }

    @Test
    void aRelationLineThatIsNotFieldColonCollectionIsRefusedInThePage() {
        browser.open(project, "/data", "collections");

        browser.type(By.id("create-name"), "posts");
        browser.type(By.id("create-relations"), "author users");
        browser.find(By.id("create-collection-button")).click();

        browser.awaitFieldError("relations", "must read \"field: collection\"");
        owner.api().get(collectionPath("posts")).expect(404);
    }

    @Test
    void editingACollectionsPermissionsRelationsAndIndexesPatchesThem() {
        createCollection("posts", Map.of("permissions", Map.of("read", List.of())));
        browser.open(project, "/data", "collections");

        row("posts").findElement(By.cssSelector(".edit-collection-button")).click();
        browser.type(By.id("edit-read"), "member");
        browser.find(By.id("edit-owner-only")).click();
        browser.type(By.id("edit-relations"), "author: appuser");
        browser.type(By.id("edit-indexes"), "views, author.name");
        browser.find(By.id("edit-collection-button")).click();

        browser.awaitText(By.id("collection-saved"), "Saved posts.");
        WebElement row = row("posts");
        assertThat(row.findElement(By.cssSelector("[data-rule='read']")).getText()).isEqualTo("member");
        assertThat(row.findElement(By.cssSelector("[data-rule='owner_only']")).getText()).isEqualTo("creator only");
        assertThat(row.findElement(By.cssSelector("[data-relation='author']")).getText()).isEqualTo("author → appuser");
        JsonNode stored = owner.api().get(collectionPath("posts")).expect(200).json();
        assertThat(stored.at("/permissions/read/0").asString()).isEqualTo("member");
        assertThat(stored.at("/permissions/owner_only").asBoolean()).isTrue();
        assertThat(stored.at("/relations/author/collection").asString()).isEqualTo("appuser");
        assertThat(stored.at("/indexes").valueStream().map(JsonNode::asString).toList())
                .containsExactly("views", "author.name");
    }

    @Test
    void deletingACollectionAsksForItsNameThenRemovesItWithItsDocuments() {
        createCollection("drafts", Map.of());
        addDocument("drafts", Map.of("title", "one"));
        browser.open(project, "/data", "collections");

        row("drafts").findElement(By.cssSelector(".delete-collection-button")).click();
        WebElement ok = browser.find(By.id("confirm-ok"));
        assertThat(ok.isEnabled()).as("the delete button waits for the typed name").isFalse();
        browser.confirm("drafts");

        browser.await().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#collection-list tr[data-id='drafts']"), 0));
        browser.awaitText(By.cssSelector("#collection-list .empty-state"), "No collections yet");
        owner.api().get(collectionPath("drafts")).expect(404);
    }

    // ------------------------------------------------------------------ documents

    @Test
    void aDocumentAddedAndEditedInTheEditorIsListedAndStored() {
        createCollection("posts", Map.of());
        browser.open(project, "/data/posts", "documents");
        browser.awaitText(By.cssSelector("#document-list .empty-state"), "No documents in posts yet");

        browser.find(By.id("new-document-button")).click();
        browser.setEditorText(By.id("document-editor"), "{\"id\": \"hello\", \"title\": \"Hello\", \"views\": 3}");
        browser.find(By.id("save-document-button")).click();

        browser.awaitText(By.id("document-saved"), "hello");
        assertThat(cell("hello", "title")).isEqualTo("Hello");
        assertThat(cell("hello", "views")).isEqualTo("3");
        assertThat(browser.text(By.id("collection-count"))).isEqualTo("1 document(s)");

        browser.find(By.cssSelector("#document-list tr[data-id='hello'] .edit-document-button")).click();
        assertThat(browser.editorText(By.id("document-editor"))).contains("\"title\": \"Hello\"");
        browser.setEditorText(By.id("document-editor"), "{\"title\": \"Hello again\", \"views\": 4}");
        browser.find(By.id("save-document-button")).click();

        browser.await().until(driver -> "Hello again".equals(cell("hello", "title")));
        assertThat(cell("hello", "views")).isEqualTo("4");
        JsonNode stored = owner.api().get(collectionPath("posts") + "/documents/hello").expect(200).json();
        assertThat(stored.at("/data/title").asString()).isEqualTo("Hello again");
        assertThat(stored.at("/data/views").asInt()).isEqualTo(4);
    }

    @Test
    void theFilterBoxShowsOnlyTheMatchingDocuments() {
        createCollection("posts", Map.of());
        addDocument("posts", Map.of("id", "p1", "title", "First", "status", "published", "views", 120));
        addDocument("posts", Map.of("id", "p2", "title", "Second", "status", "draft", "views", 300));
        addDocument("posts", Map.of("id", "p3", "title", "Third", "status", "published", "views", 15));
        addDocument("posts", Map.of("id", "p4", "title", "Fourth", "status", "published", "views", 900,
                "tags", List.of("java", "web")));
        browser.open(project, "/data/posts", "documents");
        assertThat(rowIds()).containsExactlyInAnyOrder("p1", "p2", "p3", "p4");

        browser.type(By.id("document-filter"), "status=published&views_gte=100");
        browser.find(By.id("document-search-button")).click();

        browser.await().until(driver -> rowIds().size() == 2);
        assertThat(rowIds()).containsExactlyInAnyOrder("p1", "p4");
        assertThat(browser.text(By.id("document-total"))).isEqualTo("2");
        assertThat(browser.find(By.id("document-filter")).getDomProperty("value"))
                .isEqualTo("status=published&views_gte=100");
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("data-documents");
    }

    @Test
    void theDocumentBrowserFitsATabletHeldUpright() {
        createCollection("posts", Map.of());
        addDocument("posts", Map.of("id", "p1", "title", "A rather long title that needs room", "status", "draft",
                "body", "Some text", "tags", List.of("one", "two")));
        addDocument("posts", Map.of("id", "p2", "title", "Short", "status", "published"));

        browser.atWidth(768, () -> {
            browser.open(project, "/data/posts", "documents");
            browser.type(By.id("document-filter"), "status=draft");
            browser.find(By.id("document-search-button")).click();
            browser.await().until(driver -> rowIds().equals(List.of("p1")));

            assertThat(browser.find(By.id("new-document-button")).isDisplayed()).isTrue();
            assertThat((Boolean) browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("wide tables scroll inside their frame, not the page").isTrue();
        });
    }

    @Test
    void aFilterTheServerRefusesShowsItsMessageNextToTheFilterBox() {
        createCollection("posts", Map.of());
        addDocument("posts", Map.of("title", "First"));
        browser.open(project, "/data/posts", "documents");

        browser.type(By.id("document-filter"), "views__bogus=1");
        browser.find(By.id("document-search-button")).click();

        assertThat(browser.awaitFieldError("filter", "unknown operator 'bogus'")).contains("views__bogus");
        assertThat(browser.find(By.id("document-filter")).getDomAttribute("aria-invalid")).isEqualTo("true");
    }

    @Test
    void invalidJsonIsRefusedInThePageAndNothingIsSent() {
        createCollection("posts", Map.of());
        browser.open(project, "/data/posts", "documents");

        browser.find(By.id("new-document-button")).click();
        browser.setEditorText(By.id("document-editor"), "{\"title\": \"Hello\",");
        browser.find(By.id("save-document-button")).click();

        browser.awaitFieldError("data", "Invalid JSON, nothing was sent");
        browser.setEditorText(By.id("document-editor"), "[1, 2]");
        browser.find(By.id("save-document-button")).click();
        browser.awaitFieldError("data", "A document is a JSON object of fields");
        assertThat(owner.api().get(collectionPath("posts") + "/documents").expect(200).json().get("total").asInt())
                .isZero();
    }

    @Test
    void aDocumentTheServerRefusesShowsItsMessageNextToTheEditor() {
        createCollection("posts", Map.of());
        browser.open(project, "/data/posts", "documents");

        browser.find(By.id("new-document-button")).click();
        browser.setEditorText(By.id("document-editor"), "{\"id\": \"no spaces please\", \"title\": \"Hello\"}");
        browser.find(By.id("save-document-button")).click();

        assertThat(browser.awaitFieldError("data", "document id 'no spaces please' must be"))
                .contains("letters, digits");
        assertThat(browser.findAll(By.cssSelector("#document-editor")).size()).as("the editor stays open").isOne();
        assertThat(browser.editorText(By.id("document-editor"))).contains("no spaces please");
        assertThat(owner.api().get(collectionPath("posts") + "/documents").expect(200).json().get("total").asInt())
                .isZero();
    }

    @Test
    void documentsSortByAFieldAndPageThroughTheTotal() {
        createCollection("scores", Map.of());
        for (int rank = 1; rank <= 12; rank++) {
            addDocument("scores", Map.of("id", "s" + rank, "rank", rank));
        }
        browser.open(project, "/data/scores", "documents");

        browser.type(By.id("document-sort"), "rank");
        new Select(browser.find(By.id("document-order"))).selectByValue("asc");
        new Select(browser.find(By.id("document-limit"))).selectByValue("10");
        browser.find(By.id("document-search-button")).click();

        browser.await().until(driver -> rowIds().size() == 10 && rowIds().getFirst().equals("s1"));
        assertThat(rowIds()).containsExactly("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10");
        assertThat(browser.text(By.id("document-range"))).isEqualTo("1–10 of 12");
        assertThat(browser.find(By.id("previous-page")).isEnabled()).isFalse();

        browser.find(By.id("next-page")).click();
        browser.await().until(driver -> rowIds().equals(List.of("s11", "s12")));
        assertThat(browser.text(By.id("document-range"))).isEqualTo("11–12 of 12");
        assertThat(browser.find(By.id("next-page")).isEnabled()).as("no page after the last").isFalse();

        browser.find(By.cssSelector("button.sort-button[data-sort='rank']")).click(); // was ascending: now descending
        browser.await().until(driver -> !rowIds().isEmpty() && rowIds().getFirst().equals("s12"));
        assertThat(rowIds()).hasSize(10).endsWith("s3");
        assertThat(browser.text(By.id("document-range"))).isEqualTo("1–10 of 12");
    }

    @Test
    void deletingADocumentAsksFirstThenRemovesIt() {
        createCollection("posts", Map.of());
        addDocument("posts", Map.of("id", "keep", "title", "Keep"));
        addDocument("posts", Map.of("id", "gone", "title", "Gone"));
        browser.open(project, "/data/posts", "documents");

        browser.find(By.cssSelector("#document-list tr[data-id='gone'] .delete-document-button")).click();
        browser.awaitText(By.cssSelector("dialog.confirm-dialog[open] .confirm-message"), "Delete the document gone");
        browser.find(By.id("confirm-cancel")).click();
        assertThat(rowIds()).contains("gone");

        browser.find(By.cssSelector("#document-list tr[data-id='gone'] .delete-document-button")).click();
        browser.confirm(null);

        browser.await().until(driver -> rowIds().equals(List.of("keep")));
        assertThat(browser.text(By.id("collection-count"))).isEqualTo("1 document(s)");
        owner.api().get(collectionPath("posts") + "/documents/gone").expect(404);
        owner.api().get(collectionPath("posts") + "/documents/keep").expect(200);
    }

    @Test
    void aViewerReadsDocumentsButIsOfferedNoWayToChangeThem() {
        createCollection("posts", Map.of());
        addDocument("posts", Map.of("id", "p1", "title", "First"));
        Account viewer = browser.newAccount();
        owner.api().addMember(project.id(), viewer.api(), "viewer");
        browser.signOut();
        browser.signIn(viewer);
        browser.open(project, "/data/posts", "documents");

        assertThat(cell("p1", "title")).isEqualTo("First");
        assertThat(browser.findAll(By.id("new-document-button"))).isEmpty();
        assertThat(browser.findAll(By.cssSelector(".delete-document-button"))).isEmpty();
        browser.find(By.cssSelector("#document-list tr[data-id='p1'] .edit-document-button")).click();
        assertThat(browser.editorText(By.id("document-editor"))).contains("\"title\": \"First\"");
        assertThat(browser.find(By.id("document-editor")).getDomAttribute("readonly")).isNotNull();
        assertThat(browser.findAll(By.id("save-document-button"))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private String collectionPath(String name) {
        return API + "/projects/" + project.id() + "/collections/" + name;
    }

    private void createCollection(String name, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("name", name);
        owner.api().post(API + "/projects/" + project.id() + "/collections", body).expect(201);
    }

    private void addDocument(String collection, Map<String, Object> data) {
        owner.api().post(collectionPath(collection) + "/documents", Map.of("data", data)).expect(201);
    }

    private WebElement row(String collection) {
        return browser.find(By.cssSelector("#collection-list tr[data-id='" + collection + "']"));
    }

    /** The document ids the table shows, top to bottom (read in one go: the table may be re-rendering). */
    @SuppressWarnings("unchecked")
    private List<String> rowIds() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#document-list tbody tr')].map(r => r.dataset.id)");
    }

    /** The text the table shows for one document's field, or null when it shows none. */
    private String cell(String id, String field) {
        return (String) browser.script("const c = document.querySelector(`#document-list tr[data-id='${arguments[0]}']"
                + " td[data-field='${arguments[1]}']`); return c ? c.textContent.trim() : null", id, field);
    }
}
