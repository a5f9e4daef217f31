package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.EdgeOneExamples;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.PythonTestPackages;

/**
 * EdgeOne Pages' Flask example (reference/edgeone-pages-python-functions.txt, {@code cloud-functions/api/index.py})
 * deployed as a site with Debian's bookworm Flask stack in {@code python_packages/} at the zip's root, as EdgeOne
 * vendors it: the app answers under its file's route prefix, over HTTP.
 */
@Tag("frameworks") // a JVM of its own: see app/pom.xml
@IntegrationTest
class SiteFrameworkAppsTest {

    @LocalServerPort
    int port;

    @Test
    void edgeOnesFlaskExampleAnswersUnderApiWithFlaskInThePackagesFolderAtTheZipsRoot() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>(
                PythonTestPackages.files(PythonTestPackages.flask(), "python_packages/"));
        files.put("cloud-functions/api/index.py", EdgeOneExamples.FLASK);
        files.put("index.html", "<h1>Users</h1>");
        site.deploy(files);

        AdminApi.Response list = site.getOnceLoaded("/api/users");
        AdminApi.Response created = site.call("POST", "/api/users", "{\"name\": \"Carol\"}",
                Map.of("Content-Type", "application/json"));

        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.body().replaceAll("\\s", ""))
                .isEqualTo("{\"users\":[{\"id\":1,\"name\":\"Alice\"},{\"id\":2,\"name\":\"Bob\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body().replaceAll("\\s", ""))
                .isEqualTo("{\"message\":\"Usercreated\",\"user\":{\"name\":\"Carol\"}}");
        assertThat(site.get("/").body()).isEqualTo("<h1>Users</h1>");
    }

    @Test
    void aFlaskRouteRendersItsTemplatesAndServesItsStaticFilesFromBesideItsFile() {
        SiteDeploys site = SiteDeploys.inNewProject(port);
        Map<String, Object> files = new LinkedHashMap<>(
                PythonTestPackages.files(PythonTestPackages.flask(), "python_packages/"));
        files.put("cloud-functions/shop/index.py", """
                from flask import Flask, render_template

                app = Flask(__name__)

                @app.route('/hello/<name>')
                def hello(name):
                    return render_template('hello.html', name=name)
                """);
        files.put("cloud-functions/shop/templates/hello.html", "<h1>Hello, {{ name }}!</h1>");
        files.put("cloud-functions/shop/static/site.css", "h1 { color: teal }\n");
        site.deploy(files);

        AdminApi.Response page = site.getOnceLoaded("/shop/hello/Ada");
        AdminApi.Response css = site.get("/shop/static/site.css");

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<h1>Hello, Ada!</h1>");
        assertThat(css.status()).as(css.body()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.body()).isEqualTo("h1 { color: teal }\n");
    }
}
