package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.DjangoApps;
import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.PythonTestPackages;

/**
 * FastAPI and Django apps deployed as sites, with Debian trixie's packages in {@code python_packages/} at the zip's
 * root, as EdgeOne vendors them, answering over HTTP: EdgeOne Pages' FastAPI example
 * (reference/edgeone-pages-python-functions.txt, {@code cloud-functions/api/index.py}) under its route prefix, and a
 * minimal Django 4.2 app (settings in code, no database, two URLs, a template).
 */
@Tag("frameworks") // a JVM of its own: see app/pom.xml
@IntegrationTest
class SiteFastApiDjangoTest {

    @LocalServerPort
    int port;

    @Test
    void edgeOnesFastApiExampleAnswersUnderApiWithFastApiInThePackagesFolderAtTheZipsRoot() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>(
                PythonTestPackages.files(PythonTestPackages.fastapi(), "python_packages/"));
        files.put("cloud-functions/api/index.py", EdgeOneExamples.FASTAPI);
        site.deploy(files);

        AdminApi.Response list = site.getOnceLoaded("/api/items");
        AdminApi.Response item = site.get("/api/items/7");
        AdminApi.Response created = site.call("POST", "/api/items", "{\"name\": \"Item C\"}",
                Map.of("Content-Type", "application/json"));

        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.header("Content-Type")).isEqualTo("application/json");
        assertThat(list.body()).isEqualTo("{\"items\":[{\"id\":1,\"name\":\"Item A\"},{\"id\":2,\"name\":\"Item B\"}]}");
        assertThat(item.status()).as(item.body()).isEqualTo(200);
        assertThat(item.body()).isEqualTo("{\"item_id\":7,\"name\":\"Item 7\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"message\":\"Item created\",\"item\":{\"name\":\"Item C\"}}");
    }

    @Test
    void aMinimalDjangoAppAnswersItsTwoUrlsAndRendersItsTemplateThroughASiteRoute() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>();
        // Left out, as a site vendoring Django leaves them out: its message catalogues (*.po, *.mo: 2,422 of its 3,649
        // files; a site's zip holds at most 2,000 files, and the app runs in English without them) and the admin's
        // static files (served from the site's frontend after collectstatic, never imported).
        PythonTestPackages.files(PythonTestPackages.django(), "python_packages/").forEach((path, bytes) -> {
            if (!path.endsWith(".po") && !path.endsWith(".mo") && !path.contains("/static/")) {
                files.put(path, bytes);
            }
        });
        files.put("cloud-functions/shop/index.py", DjangoApps.MINIMAL);
        files.put("cloud-functions/shop/templates/hello.html", DjangoApps.HELLO_TEMPLATE);
        site.deploy(files);

        AdminApi.Response page = site.getOnceLoaded("/shop/hello/Ada");
        AdminApi.Response items = site.get("/shop/items");
        AdminApi.Response missing = site.get("/shop/nothing");

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualToIgnoringWhitespace("text/html; charset=utf-8");
        assertThat(page.body()).isEqualTo("<h1>Hello Ada</h1>\n<p>2 items: tea, &lt;cake&gt;</p>\n");
        assertThat(items.status()).as(items.body()).isEqualTo(200);
        assertThat(items.body()).isEqualTo(
                "{\"items\": [\"tea\", \"<cake>\"], \"path\": \"/p/" + site.projectId() + "/shop/items\"}");
        assertThat(missing.status()).isEqualTo(404);
    }
}
