package io.cococloud.console;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.ConsoleBrowser;
import io.cococloud.support.ConsoleBrowser.Account;
import io.cococloud.support.ConsoleBrowser.Project;
import io.cococloud.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The functions pages in a real browser: the list with each function's calls and errors of the last day, a new
 * function from each of the five templates, the code editor (a deploy error marked at its line, a fix deploying
 * the next version, files added), and the test panel (its result, a traceback's line marked in the editor).
 */
@IntegrationTest
class ConsoleFunctionsInBrowserTest {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.signedOutBeforeEachTest();

    @LocalServerPort
    int port;




    // ---------------------------------------------------------------- the list

    @Test
    void listShowsEachFunctionWithItsCallsAndErrorsOfTheLastDay() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        String quiet = deploy(owner, project, "quiet", "def main():\n    return 'never called'\n");
        String busy = deploy(owner, project, "busy", """
                def main():
                    if request.get("fail"):
                        raise ValueError("asked to fail")
                    return {"ok": True}
                """);
        AdminApi visitor = AdminApi.anonymous(port);
        visitor.get("/functions/" + busy + "/execute").expect(200);
        visitor.get("/functions/" + busy + "/execute?x=1").expect(200);
        visitor.get("/functions/" + busy + "/execute?fail=1").expect(500);

        browser.signIn(owner);
        browser.open(project, "/functions", "functions");

        By busyRow = By.cssSelector("#function-list tr[data-name='busy']");
        browser.awaitText(busyRow, "busy");
        WebElement row = browser.find(busyRow);
        assertThat(row.findElement(By.cssSelector(".calls")).getText()).isEqualTo("3");
        assertThat(row.findElement(By.cssSelector(".errors")).getText()).isEqualTo("1");
        assertThat(row.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("error");
        assertThat(row.findElement(By.cssSelector(".function-url")).getText())
                .endsWith("/functions/" + busy + "/execute");
        assertThat(row.getText()).contains("main", "enabled");
        WebElement quietRow = browser.find(By.cssSelector("#function-list tr[data-name='quiet']"));
        assertThat(quietRow.findElement(By.cssSelector(".calls")).getText()).isEqualTo("0");
        assertThat(quietRow.getText()).contains("Never called");
        assertThat(quiet).isNotBlank();
        browser.screenshot("functions-list");
    }

    @Test
    void anEmptyListSaysHowToCreateTheFirstFunction() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);

        browser.open(project, "/functions", "functions");

        browser.awaitText(By.cssSelector("#function-list .empty-state"), "No functions yet");
        browser.clickAndAwait(By.cssSelector("#function-list .empty-state a"), "function-new");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/p/" + project.slug() + "/functions/+new");
    }

    @Test
    void aFunctionNamedNewOpensItsOwnPageFromTheList() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "new", "def main():\n    return 'I am called new'\n");
        browser.signIn(owner);
        browser.open(project, "/functions", "functions");

        browser.clickAndAwait(By.cssSelector("#function-list tr[data-name='new'] a.function-link"), "function-code");

        browser.awaitText(By.id("function-name"), "new");
        browser.await().until(d -> browser.editorText(By.cssSelector("code-editor.file-editor[data-file='new.py']"))
                .contains("I am called new"));
    }

    // ---------------------------------------------------------------- new function from a template

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "main,   main,   '\"message\": \"Hello, Ada!\"'",
        "handle, handle, '\"message\": \"Hello, Ada!\"'",
        "wsgi,   wsgi,   'Hello, Ada!'",
        "event,  event,  'Hello, Ada!'",
        "asgi,   asgi,   '\"message\": \"Hello, Ada!\"'",
    })
    void eachTemplateDeploysAndItsFirstTestRunAnswers(String template, String style, String bodyPart) {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        browser.signIn(owner);
        browser.open(project, "/functions/+new", "function-new");
        String name = "from-" + template;

        browser.type(By.id("function-name-input"), name);
        browser.find(By.cssSelector(".template-option[data-template='" + template + "'] input")).click();
        browser.await().until(d -> browser.editorText(By.id("new-function-code")).contains(
                switch (template) {
                    case "main" -> "def main():";
                    case "handle" -> "def handle(req):";
                    case "wsgi" -> "def handler(environ, start_response):";
                    case "event" -> "def handler(event, context):";
                    default -> "async def app(scope, receive, send):";
                }));
        if (template.equals("handle")) {
            browser.screenshot("function-new");
        }
        browser.find(By.id("create-function-button")).click();

        browser.awaitView("function-code");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/p/" + project.slug() + "/functions/" + name);
        browser.awaitText(By.id("function-style"), style);
        browser.awaitText(By.id("function-version"), "v1");
        browser.find(By.id("run-test-button")).click();
        browser.awaitText(By.id("test-status"), "200");
        assertThat(browser.text(By.id("test-body-out"))).contains(bodyPart).contains("Ada");

        JsonNode fn = owner.api().get(functionPath(project, name)).expect(200).json();
        assertThat(fn.get("deployed_version").asInt()).isEqualTo(1);
        assertThat(fn.get("deployed_style").asString()).isEqualTo(style);
    }

    @Test
    void aTakenNameIsRefusedNextToTheNameField() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "taken", "def main():\n    return 1\n");
        browser.signIn(owner);
        browser.open(project, "/functions/+new", "function-new");

        browser.type(By.id("function-name-input"), "taken");
        browser.find(By.id("create-function-button")).click();

        assertThat(browser.awaitFieldError("name", "already exists")).contains("taken");
        assertThat(browser.find(By.id("function-name-input")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/functions/+new");
        assertThat(owner.api().get(API + "/projects/" + project.id() + "/functions").expect(200).json().size())
                .isEqualTo(1);
    }

    // ---------------------------------------------------------------- the code editor

    @Test
    void aSyntaxErrorIsMarkedAtItsLineAndTheFixDeploysVersionTwo() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "greeter", "def main():\n    return 'hello'\n");
        browser.signIn(owner);
        browser.open(project, "/functions/greeter", "function-code");
        By editor = fileEditor("greeter.py");
        browser.await().until(d -> browser.editorText(editor).contains("return 'hello'"));

        browser.setEditorText(editor, "def main():\n    name = 'Ada'\n    return f'hello {name'\n");
        browser.find(By.id("unsaved-flag"));
        browser.find(By.id("deploy-button")).click();

        By message = By.cssSelector("code-editor[data-file='greeter.py'] .cm-error-message[data-line='3']");
        browser.awaitText(message, "line 3");
        assertThat(browser.text(message)).contains("greeter.py");
        assertThat(markedLines(editor)).containsExactly(3L);
        assertThat(browser.text(By.id("deploy-error"))).contains("Not deployed").contains("(greeter.py, line 3)");
        assertThat(owner.api().get(functionPath(project, "greeter")).expect(200).json().get("deployed_version")
                .asInt()).isEqualTo(1);

        browser.setEditorText(editor, "def main():\n    name = 'Ada'\n    return f'hello {name}'\n");
        pressSaveIn(editor);

        browser.awaitText(By.id("deploy-notice"), "Deployed version 2");
        browser.awaitText(By.id("function-version"), "v2");
        assertThat(browser.findAll(By.id("deploy-error"))).isEmpty();
        assertThat(browser.findAll(By.id("unsaved-flag"))).isEmpty();
        assertThat(markedLines(editor)).isEmpty();
        JsonNode fn = owner.api().get(functionPath(project, "greeter")).expect(200).json();
        assertThat(fn.get("deployed_version").asInt()).isEqualTo(2);
        assertThat(fn.get("code").asString()).contains("return f'hello {name}'");
    }

    @Test
    void leavingWithChangesNotDeployedAsksFirst() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "draft", "def main():\n    return 'v1'\n");
        browser.signIn(owner);
        browser.open(project, "/functions/draft", "function-code");
        By editor = fileEditor("draft.py");
        browser.await().until(d -> browser.editorText(editor).contains("'v1'"));
        browser.setEditorText(editor, "def main():\n    return 'v2, not deployed'\n");
        browser.awaitText(By.cssSelector(".file-tab[data-file='draft.py']"), "•");

        browser.find(By.cssSelector(".breadcrumbs a[href$='/functions']"))
                .click();
        browser.awaitText(By.cssSelector("dialog.confirm-dialog[open] .confirm-message"), "draft.py");
        browser.find(By.id("confirm-cancel")).click();
        assertThat(browser.editorText(editor)).contains("v2, not deployed");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/functions/draft");

        browser.find(By.cssSelector(".breadcrumbs a[href$='/functions']"))
                .click();
        browser.confirm(null);
        browser.awaitView("functions");
        assertThat(owner.api().get(functionPath(project, "draft")).expect(200).json().get("code").asString())
                .contains("'v1'");
    }

    @Test
    void aTestRunShowsOutputLogsAndMarksTheTracebackLineInTheEditor() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "divider", """
                import sys

                def main():
                    print("dividing by", request.get("n"))
                    sys.stderr.write("about to divide\\n")
                    return 10 / int(request.get("n"))
                """);
        browser.signIn(owner);
        browser.open(project, "/functions/divider", "function-code");

        browser.type(By.id("test-body"), "{\"n\": \"0\"}");
        browser.find(By.id("run-test-button")).click();

        browser.awaitText(By.id("test-status"), "500");
        assertThat(browser.text(By.id("test-output"))).contains("dividing by 0");
        assertThat(browser.text(By.id("test-logs"))).contains("about to divide");
        assertThat(browser.text(By.id("test-error"))).contains("ZeroDivisionError");
        assertThat(browser.text(By.id("test-traceback"))).contains("File \"/code/divider.py\", line 6");
        assertThat(browser.text(By.id("test-body-out"))).contains("\"success\": false");
        By message = By.cssSelector("code-editor[data-file='divider.py'] .cm-error-message[data-line='6']");
        browser.awaitText(message, "ZeroDivisionError");
        assertThat(markedLines(fileEditor("divider.py"))).containsExactly(6L);
        browser.script("document.querySelector('.function-code').scrollIntoView()");
        browser.screenshot("function-editor");

        String href = browser.find(By.id("test-execution-link")).getAttribute("href");
        String executionId = href.substring(href.lastIndexOf('/') + 1);
        assertThat(href).contains("#/p/" + project.slug() + "/functions/divider/executions/");
        JsonNode execution = owner.api().get(functionPath(project, "divider") + "/executions/" + executionId)
                .expect(200).json();
        assertThat(execution.get("trigger").asString()).isEqualTo("test");
        assertThat(execution.get("status").asString()).isEqualTo("error");
    }

    @Test
    void anAddedModuleImportedByTheEntryFileDeploysAndRuns() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "multi", "def main():\n    return 'one file'\n");
        browser.signIn(owner);
        browser.open(project, "/functions/multi", "function-code");
        browser.await().until(d -> browser.editorText(fileEditor("multi.py")).contains("one file"));

        browser.type(By.id("new-file-path"), "util.py");
        browser.find(By.id("add-file-button")).click();
        browser.awaitText(By.cssSelector(".file-tab[aria-current='true']"), "util.py");
        browser.setEditorText(fileEditor("util.py"), "def greet(name):\n    return f'Hi {name} from util'\n");
        browser.find(By.cssSelector(".file-tab[data-file='multi.py']")).click();
        browser.setEditorText(fileEditor("multi.py"),
                "from util import greet\n\ndef main():\n    return greet(request.get('name', 'you'))\n");
        browser.find(By.id("deploy-button")).click();

        browser.awaitText(By.id("deploy-notice"), "Deployed version 2");
        assertThat(browser.findAll(By.cssSelector(".file-tab")).stream().map(WebElement::getText).toList())
                .containsExactly("multi.py", "util.py");
        JsonNode version = owner.api().get(functionPath(project, "multi") + "/versions/2").expect(200).json();
        assertThat(version.get("files").get("util.py").asString()).contains("from util");
        assertThat(version.get("entry_file").asString()).isEqualTo("multi.py");

        browser.type(By.id("test-body"), "{\"name\": \"Ada\"}");
        browser.find(By.id("run-test-button")).click();
        browser.awaitText(By.id("test-status"), "200");
        assertThat(browser.text(By.id("test-body-out"))).contains("Hi Ada from util");
    }

    @Test
    void filesRenamedAndDeletedInTheConsoleMakeTheNextVersion() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", "parts", "files", Map.of(
                "index.py", "from helpers import WORD\n\ndef main():\n    return WORD\n",
                "helpers.py", "WORD = 'from helpers'\n",
                "unused.py", "NOTHING = None\n"))).expect(201);
        browser.signIn(owner);
        browser.open(project, "/functions/parts", "function-code");
        assertThat(browser.findAll(By.cssSelector(".file-tab")).stream().map(WebElement::getText).toList())
                .containsExactly("index.py", "helpers.py", "unused.py");

        browser.find(By.cssSelector(".file-tab[data-file='unused.py']")).click();
        browser.find(By.id("delete-file-button")).click();
        browser.confirm(null);
        browser.find(By.cssSelector(".file-tab[data-file='helpers.py']")).click();
        browser.find(By.id("rename-file-button")).click();
        browser.type(By.id("rename-file-path"), "shared.py");
        browser.find(By.id("rename-file-path")).sendKeys(Keys.ENTER);
        browser.awaitText(By.cssSelector(".file-tab[aria-current='true']"), "shared.py");
        browser.find(By.cssSelector(".file-tab[data-file='index.py']")).click();
        browser.setEditorText(fileEditor("index.py"), "from shared import WORD\n\ndef main():\n    return WORD\n");
        browser.find(By.id("deploy-button")).click();

        browser.awaitText(By.id("deploy-notice"), "Deployed version 2");
        JsonNode files = owner.api().get(functionPath(project, "parts") + "/versions/2").expect(200).json().get("files");
        assertThat(files.propertyNames()).containsExactlyInAnyOrder("index.py", "shared.py");
        assertThat(files.get("shared.py").asString()).isEqualTo("WORD = 'from helpers'\n");
        browser.find(By.id("run-test-button")).click();
        browser.awaitText(By.id("test-status"), "200");
        assertThat(browser.text(By.id("test-body-out"))).contains("from helpers");
    }

    @Test
    void whatTheSandboxDeniesIsListedAsWarningsOfTheDeploy() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "keeper", "def main():\n    return 'fine'\n");
        browser.signIn(owner);
        browser.open(project, "/functions/keeper", "function-code");
        browser.await().until(d -> browser.editorText(fileEditor("keeper.py")).contains("fine"));

        browser.setEditorText(fileEditor("keeper.py"), "import sqlite3\n\ndef main():\n    return 'fine'\n");
        browser.find(By.id("deploy-button")).click();

        browser.awaitText(By.id("deploy-notice"), "Deployed version 2");
        assertThat(browser.text(By.cssSelector("#deploy-warnings .deploy-warning")))
                .contains("keeper.py line 1").contains("sqlite3");
    }

    @Test
    void atTabletWidthTheTestPanelComesBelowTheEditor() {
        Account owner = browser.newAccount();
        Project project = browser.newProject(owner);
        deploy(owner, project, "narrow", "def main():\n    return 'fits'\n");
        browser.signIn(owner);

        browser.atWidth(768, () -> {
            browser.open(project, "/functions/narrow", "function-code");
            WebElement code = browser.find(By.cssSelector(".code-card"));
            WebElement test = browser.find(By.cssSelector(".test-panel"));
            assertThat(test.getRect().getY()).isGreaterThanOrEqualTo(code.getRect().getY() + code.getRect().getHeight());
            assertThat(code.getRect().getX() + code.getRect().getWidth()).isLessThanOrEqualTo(768);
            browser.find(By.id("run-test-button")).click();
            browser.awaitText(By.id("test-status"), "200");
            assertThat(browser.text(By.id("test-body-out"))).contains("fits");
        });
    }

    // ---------------------------------------------------------------- helpers

    private String deploy(Account owner, Project project, String name, String code) {
        return owner.api().post(API + "/projects/" + project.id() + "/functions", Map.of("name", name, "code", code))
                .expect(201).json().get("id").asString();
    }

    private static String functionPath(Project project, String name) {
        return API + "/projects/" + project.id() + "/functions/" + name;
    }

    private static By fileEditor(String path) {
        return By.cssSelector("code-editor.file-editor[data-file='" + path + "']");
    }

    /** The 1-based numbers of the lines the editor marks as wrong (CodeMirror's line wrappers with the class). */
    @SuppressWarnings("unchecked")
    private static List<Long> markedLines(By editor) {
        return (List<Long>) browser.script("""
                const lines = [...arguments[0].querySelectorAll('.CodeMirror-code > div')];
                return lines.map((line, i) => line.classList.contains('cm-error-line') ? i + 1 : 0).filter(n => n);""",
                browser.find(editor));
    }

    /** Ctrl+S typed in the editor, as a person deploys from the keyboard. */
    private static void pressSaveIn(By editor) {
        WebElement code = browser.find(editor).findElement(By.cssSelector(".CodeMirror-code"));
        new Actions(browser.driver()).click(code).keyDown(Keys.CONTROL).sendKeys("s").keyUp(Keys.CONTROL).perform();
    }
}
