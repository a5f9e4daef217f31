package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * What main() returns that HTTP cannot carry is the function's mistake: {@code 502 {"error":
 * "BadResponse", "message": ...}} naming it, recorded in the execution (it was "InternalError: the
 * runtime failed" with a Java stack trace in the log). Lone surrogates in what it returns reach
 * the client as U+FFFD in the envelope (it was a 500 problem document).
 */
@IntegrationTest
class BadFunctionResultsTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    @Test
    void aStatusBeyondAnIntIs502BadResponseNamingIt() {
        assertBadResponse("return {'ok': True}, 2**63 - 1", "9223372036854775807");
    }

    @Test
    void aStatusThatIsNotAnIntIs502BadResponseNamingIt() {
        assertBadResponse("return render.response('x', status_code='200')", "'200' (str)");
        assertBadResponse("return render.response('x', status_code=200.5)", "200.5 (float)");
        assertBadResponse("return render.response('x', status_code=None)", "None (NoneType)");
    }

    @Test
    void headersThatAreNotADictAre502BadResponseNamingThem() {
        assertBadResponse("return {'ok': True}, 200, ['X-A: 1']", "headers as a list");
        assertBadResponse("return {'ok': True}, 200, 'X-A: 1'", "headers as a str");
        assertBadResponse("return render.response('x', headers='X-A: 1')", "headers as a str");
    }

    @Test
    void aHeaderValueThatIsNotTextIs502BadResponseNamingTheHeader() {
        assertBadResponse("return {'ok': True}, 200, {'X-A': ['1']}", "'X-A' with a list value");
        assertBadResponse("return {'ok': True}, 200, {'X-A': None}", "'X-A' with a NoneType value");
    }

    @Test
    void aBadResponseIsRecordedInTheExecutionAsAnError() {
        String id = functions.deploy("def main():\n    return 'x', 200, ['X-A: 1']\n");
        functions.get(id, "").expect(502);
        JsonNode execution = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> functions.owner().get(functions.functionsPath() + "/" + id + "/executions").expect(200).json(),
                list -> list.size() == 1).get(0);
        assertThat(execution.get("status").asString()).isEqualTo("error");
        assertThat(execution.get("http_status").asInt()).isEqualTo(502);
        assertThat(execution.get("error").asString()).contains("headers as a list");
    }

    @Test
    void aFloatJsonCannotHoldIs502BadResponseNamingIt() {
        assertBadResponse("return {'n': float('inf')}", "inf");
        assertBadResponse("return [float('nan')]", "nan");
    }

    @Test
    void aCircularResultIs502BadResponseAndDoesNotTroubleTheNextResult() {
        // The prelude's JSON encoder is made once per context: what a failed encoding left behind must not count
        // against the next one.
        String id = functions.deploy("""
                def main():
                    if request.get('circular'):
                        loop = []
                        loop.append(loop)
                        return {'loop': loop}
                    shared = [1, 2]
                    return {'a': shared, 'b': shared}
                """);
        for (int i = 0; i < 3; i++) {
            assertThat(functions.get(id, "circular=1").expect(502).json().get("message").asString())
                    .contains("Circular reference");
            assertThat(functions.get(id, "").expect(200).json().get("result").toString())
                    .isEqualTo("{\"a\":[1,2],\"b\":[1,2]}");
        }
    }

    @Test
    void aValueWhoseToDictEncodesJsonItselfIsEncodedWhole() {
        // to_dict() runs while the result is being encoded, and render_html encodes its context too
        String id = functions.deploy("""
                class Card:
                    def __init__(self, name):
                        self.name = name

                    def to_dict(self):
                        return {'html': render.render_html('<b>{{ name }}</b>', {'name': self.name}).body}

                def main():
                    return {'cards': [Card('x'), Card('y')], 'after': [3]}
                """);
        assertThat(functions.get(id, "").expect(200).json().get("result").toString())
                .isEqualTo("{\"cards\":[{\"html\":\"<b>x</b>\"},{\"html\":\"<b>y</b>\"}],\"after\":[3]}");
    }

    @Test
    void numbersAndHeadersThatHttpCarriesStillWork() {
        String id = functions.deploy("def main():\n    return {'ok': True}, 201, {'X-Count': 3}\n");
        AdminApi.Response response = functions.get(id, "").expect(201);
        assertThat(response.header("X-Count")).isEqualTo("3");
        assertThat(response.json().get("success").asBoolean()).isTrue();
    }

    @Test
    void anEchoedLoneLowSurrogateReachesTheClientAsTheReplacementCharacter() {
        String echo = functions.deploy("def main():\n    return {'name': request.get('name')}\n");
        AdminApi.Response response = functions.call("POST", "/functions/" + echo + "/execute",
                "{\"name\": \"\\udc00\"}", java.util.Map.of()).expect(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("result").get("name").asString()).isEqualTo("\uFFFD");
    }

    @Test
    void aReturnedLoneHighSurrogateIsTheReplacementCharacterNeverDropped() {
        assertThat(functions.runMain("return '\\ud800'").asString()).isEqualTo("\uFFFD");
        assertThat(functions.runMain("return {'v': 'a\\ud800b', 'w': '\\ud800'}").get("v").asString())
                .isEqualTo("a\uFFFDb");
    }

    @Test
    void aLoneSurrogateInARawBodyOrAnErrorIsTheReplacementCharacter() {
        String raw = functions.deploy("def main():\n    return render.response('a\\ud800b')\n");
        assertThat(functions.get(raw, "").expect(200).body()).isEqualTo("a\uFFFDb");
        String failing = functions.deploy("def main():\n    raise ValueError('bad \\udc00')\n");
        assertThat(functions.get(failing, "").expect(500).json().get("error").asString())
                .isEqualTo("ValueError: bad \uFFFD");
    }

    @Test
    void aSurrogatePairIsKeptAsTheCharacterItSpells() {
        assertThat(functions.runMain("return '\\U0001F600'").asString()).isEqualTo("\uD83D\uDE00");
    }

    private void assertBadResponse(String body, String named) {
        String id = functions.deploy("def main():\n    " + body + "\n");
        AdminApi.Response response = functions.get(id, "").expect(502);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("error").asString()).isEqualTo("BadResponse");
        assertThat(response.json().get("message").asString()).contains(named);
    }
}
