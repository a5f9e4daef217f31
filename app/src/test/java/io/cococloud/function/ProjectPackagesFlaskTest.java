package io.cococloud.function;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.FcHttpExamples;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.PythonTestPackages;

/**
 * A real stack in a project's package layer: Debian's bookworm Flask 2.2 with its dependencies (fetched by
 * scripts/python-test-packages.sh), as pip install -t leaves them (egg-info and dist-info folders side by side),
 * uploaded once; the Flask example of reference/alibaba-fc-http-handlers.txt, deployed as one file, answers.
 */
@Tag("frameworks") // a JVM of its own: see app/pom.xml
@IntegrationTest
class ProjectPackagesFlaskTest {

    @LocalServerPort
    int port;

    @Test
    void theFlaskStackInTheLayerServesTheFcFlaskExampleDeployedAsOneFile() {
        Functions functions = Functions.inNewProject(port);
        String packages = API + "/projects/" + functions.projectId() + "/packages";
        byte[] stack = FunctionUploads.zipBytes(PythonTestPackages.files(PythonTestPackages.flask(), ""));

        JsonNode stored = new FunctionUploads(port, functions.owner())
                .send("POST", packages, stack, "application/zip").expect(201).json();

        List<String> names = new ArrayList<>();
        stored.forEach(d -> names.add(d.get("name").asString() + " " + d.get("version").asString()));
        assertThat(names).containsExactly("blinker 1.5", "click 8.1.3", "flask 2.2.2", "itsdangerous 2.1.2",
                "jinja2 3.1.2", "markupsafe 2.1.2", "werkzeug 2.2.2");
        JsonNode flask = functions.owner().get(packages + "/Flask").expect(200).json();
        assertThat(flask.get("top_level").get(0).asString()).isEqualTo("flask");
        List<String> paths = new ArrayList<>();
        flask.get("file_list").forEach(f -> paths.add(f.get("path").asString()));
        assertThat(paths).contains("flask/app.py", "Flask-2.2.2.egg-info/PKG-INFO").noneMatch(p -> p.startsWith("jinja2/"));

        // importing Flask in a new sandboxed context takes seconds of CPU, more on a loaded machine
        String id = functions.deploy(FcHttpExamples.FLASK, Map.of("name", "index", "handler", "index.handler",
                "timeout_s", 300));
        AdminApi.Response response = functions.call("GET", "/functions/" + id + "/invoke/", null, Map.of());

        assertThat(response.body()).isEqualTo("Web App with Python Flask!");
        assertThat(response.status()).isEqualTo(200);
    }
}
