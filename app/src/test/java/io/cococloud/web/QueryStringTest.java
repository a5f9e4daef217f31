package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A query parameter that is not percent-encoded UTF-8, or that decodes to a NUL, is a 400 problem
 * naming the parameter on the client and admin APIs (it was a 500 from Tomcat's parameter parser,
 * and a 409 "duplicate?" from PostgreSQL), while execution URLs hand their query to the function.
 */
@IntegrationTest
class QueryStringTest {

    @LocalServerPort
    int port;

    Functions functions;
    AdminApi owner;
    String project;
    String clientKey;
    String serverKey;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
        owner = functions.owner();
        project = functions.projectId();
        clientKey = key("client");
        serverKey = key("server");
    }

    @Test
    void invalidUtf8InAClientApiQueryIs400NamingTheParameter() {
        assertNamed(client("/collections/posts/documents?limit=%ff", clientKey), "limit", "UTF-8");
        assertNamed(client("/collections/posts/query/documents/count?title=%c3%28", clientKey), "title", "UTF-8");
    }

    @Test
    void invalidUtf8InTheAppUsersListIs400NamingTheParameter() {
        assertNamed(client("/auth-collections/users?limit=%ff", serverKey), "limit", "UTF-8");
    }

    @Test
    void invalidUtf8InAdminListsIs400NamingTheParameter() {
        String function = functions.deploy("def main():\n    return 1\n");
        assertNamed(owner.get(API + "/projects/" + project + "/users?limit=%ff"), "limit", "UTF-8");
        assertNamed(owner.get(API + "/projects/" + project + "/static?prefix=%ff"), "prefix", "UTF-8");
        assertNamed(owner.get(API + "/projects/" + project + "/mail?limit=%ff"), "limit", "UTF-8");
        assertNamed(owner.get(API + "/projects/" + project + "/functions/" + function + "/executions?limit=%ff"),
                "limit", "UTF-8");
    }

    @Test
    void aMalformedEscapeIsNamed() {
        // The JDK's HTTP client cannot send one; the check is the filter's own.
        assertThat(QueryStringFilter.problemWith("limit=10&sort=%zz")).contains("'sort'").contains("percent-encoded");
        assertThat(QueryStringFilter.problemWith("sort=%2")).contains("'sort'");
        assertThat(QueryStringFilter.problemWith("limit=10&sort=%2Fa+b")).isNull();
    }

    @Test
    void aNulInAFilterValueIs400NamingTheParameterNot409() {
        assertNamed(client("/collections/posts/documents?title=%00", clientKey), "title", "NUL");
    }

    @Test
    void executionUrlsGiveTheFunctionItsQueryEvenWhenItIsNotUtf8() {
        String echo = functions.deploy("def main():\n    return {'q': request.query_params.get('q')}\n");
        assertThat(functions.get(echo, "q=%ff").expect(200).json().get("result").get("q").asString())
                .isEqualTo("\uFFFD");
        assertThat(functions.get(echo, "q=a%00b").expect(200).json().get("result").get("q").asString())
                .isEqualTo("a\0b");
    }

    private AdminApi.Response client(String path, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-api-key", key);
        return AdminApi.anonymous(port).send("GET", path, null, headers);
    }

    private String key(String kind) {
        return owner.post(API + "/projects/" + project + "/keys", Map.of("kind", kind)).expect(201).json().get("key")
                .asString();
    }

    private static void assertNamed(AdminApi.Response response, String parameter, String problem) {
        response.expect(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("'" + parameter + "'").contains(problem);
    }
}
