package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.runtime.Outcome;

/**
 * The execution surface's bytes, key order included, as docs/functions.md promises them: the records that write
 * them must not change a byte (the application's mapper names properties snake_case, as here).
 */
class ExecutionResponsesTest {

    private final ExecutionResponses responses = new ExecutionResponses(JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());

    @Test
    void theEnvelopeKeepsItsKeysInOrderAndItsResultAsWritten() {
        var outcome = new Outcome(Outcome.Kind.ENVELOPE, 200, Map.of(), "{\"b\": 2, \"a\": [1, 2.50]}", null,
                "hi\n", "", null, null, 805_000);
        var rendered = responses.render(outcome);
        assertThat(rendered.status()).isEqualTo(200);
        assertThat(rendered.headers()).containsEntry("Content-Type", "application/json");
        assertThat(text(rendered)).isEqualTo("{\"success\":true,\"result\":{\"b\": 2, \"a\": [1, 2.50]},"
                + "\"output\":\"hi\\n\",\"error\":null,\"execution_time\":0.000805}");
    }

    @Test
    void aRefusalHasANullResultAnEmptyOutputAndZeroTime() {
        assertThat(text(responses.refusal(404, "Function not found"))).isEqualTo("{\"success\":false,\"result\":null,"
                + "\"output\":\"\",\"error\":\"Function not found\",\"execution_time\":0.000000}");
    }

    @Test
    void plainErrorsAndTheAsyncAnswerAreTheirFixedShapes() {
        assertThat(text(responses.invalidArgument("bad")))
                .isEqualTo("{\"error\":\"InvalidArgument\",\"message\":\"bad\"}");
        var badStatus = new Outcome(Outcome.Kind.ENVELOPE, 99, Map.of(), "1", null, "", "", null, null, 0);
        assertThat(responses.render(badStatus).status()).isEqualTo(502);
        assertThat(text(responses.render(badStatus)))
                .startsWith("{\"error\":\"BadResponse\",\"message\":\"The function");
        UUID id = UUID.fromString("0190b5a4-0000-7000-8000-000000000001");
        var accepted = responses.accepted(id);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(text(accepted)).isEqualTo("{\"execution_id\":\"" + id + "\"}");
    }

    private static String text(ExecutionResponses.Rendered rendered) {
        return new String(rendered.body(), StandardCharsets.UTF_8);
    }
}
