package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.Functions;
import io.cococloud.support.HostHttp;
import io.cococloud.support.IntegrationTest;

/**
 * A function may set its own cookies, but none that the console uses: not its session or CSRF cookie (under any
 * prefix or case), not one for the console's paths, not one for a wider Domain. The header never leaves the
 * server, and the execution's logs say why.
 */
@IntegrationTest
class FunctionSetCookieTest {

    @LocalServerPort
    int port;

    Functions functions;
    String id;

    @BeforeEach
    void aFunctionThatSetsTheCookieItIsGiven() {
        functions = Functions.inNewProject(port);
        id = functions.deploy("def main():\n"
                + "    return render.response('ok', headers={'Set-Cookie': request.get('cookie')})\n");
    }

    @Test
    void onlyTheConsolesCookiesPathsAndWiderDomainsAreDroppedAndTheLogsSaySo() {
        String[][] refused = {
                {"SESSION=attacker; Path=/admin/api/v1", "'SESSION' is a name of the console's own cookies"},
                {"XSRF-TOKEN=known; Path=/", "'XSRF-TOKEN' is a name of the console's own cookies"},
                {"__Host-SESSION=attacker; Path=/; Secure", "'__Host-SESSION' is a name of the console's own cookies"},
                {"__host-xsrf-token=known; Path=/; Secure", "'__host-xsrf-token' is a name of the console's own"},
                {"session=attacker", "'session' is a name of the console's own cookies"},
                {"prefs=dark; Path=/admin", "'prefs' has Path=/admin, under the console's paths"},
                {"prefs=dark; Path=/console/", "'prefs' has Path=/console/, under the console's paths"},
                {"prefs=dark; Domain=localhost.example", "'prefs' has Domain=localhost.example, which reaches beyond"},
                {"prefs=dark; Path=/; Domain=.cococloud.test", "'prefs' has Domain=.cococloud.test"},
                {"=SESSION=attacker", "a cookie needs a name"},
        };
        HostHttp http = new HostHttp(port);
        for (String[] attempt : refused) {
            HostHttp.Answer answer = http.get("localhost:" + port, url(attempt[0])).expect(200);
            assertThat(answer.headers("Set-Cookie")).as(attempt[0]).isEmpty();
            String execution = answer.header("X-Execution-Id");
            String logs = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> functions.owner()
                            .get(functions.functionsPath() + "/" + id + "/executions/" + execution),
                    r -> r.status() == 200).json().get("logs").asString();
            assertThat(logs).as(attempt[0]).contains("Set-Cookie dropped: " + attempt[1]);
        }
        // the function's own cookies still pass
        for (String cookie : new String[] {"cart=3; Path=/; HttpOnly; SameSite=Lax", "theme=dark; Path=/functions",
                "visit=1; Domain=localhost; Path=/", "__Host-mine=1; Path=/; Secure"}) {
            assertThat(http.get("localhost:" + port, url(cookie)).expect(200).headers("Set-Cookie")).as(cookie)
                    .containsExactly(cookie);
        }
    }

    private String url(String cookie) {
        return "/functions/" + id + "/execute?cookie=" + URLEncoder.encode(cookie, StandardCharsets.UTF_8);
    }
}
