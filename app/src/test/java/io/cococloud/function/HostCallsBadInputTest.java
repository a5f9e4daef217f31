package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Values the server's JSON edge refuses (a NUL, a lone surrogate) raise a ValueError naming them
 * in every call into the server, never an error the function cannot catch.
 */
@IntegrationTest
class HostCallsBadInputTest {

    @LocalServerPort
    int port;

    Functions functions;

    @BeforeEach
    void project() {
        functions = Functions.inNewProject(port);
    }

    @Test
    void aNulInARenderContextIsAValueErrorNamingIt() {
        assertThat(functions.raisedBy("render.render_html('<p>{{ x }}</p>', {'x': 'a\\0b'})"))
                .startsWith("ValueError").contains("'x'").contains("NUL");
    }

    @Test
    void aLoneSurrogateInAMailIsAValueErrorNamingIt() {
        assertThat(functions.raisedBy("request.send_mail('a@example.test', 'Hi \\udc00', body='x')"))
                .startsWith("ValueError").contains("'subject'").contains("lone surrogate");
    }
}
