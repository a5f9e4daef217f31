package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * A hand-written ASGI app (EdgeOne's framework mode without a framework): told from WSGI by its callable, its
 * lifespan started once per loaded version, its streamed body gathered, its status and headers sent.
 */
@IntegrationTest
class AsgiAppTest {

    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProject() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    private static final String APP = """
            import asyncio

            class App:
                def __init__(self):
                    self.startups = 0

                async def __call__(self, scope, receive, send):
                    if scope['type'] == 'lifespan':
                        while True:
                            message = await receive()
                            if message['type'] == 'lifespan.startup':
                                self.startups += 1
                                scope['state']['greeting'] = 'hello'
                                await send({'type': 'lifespan.startup.complete'})
                            elif message['type'] == 'lifespan.shutdown':
                                await send({'type': 'lifespan.shutdown.complete'})
                                return
                    body = b''
                    while True:
                        message = await receive()
                        body += message.get('body', b'')
                        if not message.get('more_body'):
                            break
                    await send({'type': 'http.response.start', 'status': 201,
                                'headers': [(b'content-type', b'text/plain'), (b'x-root-path', scope['root_path'].encode())]})
                    for part in (scope['state']['greeting'], ' ', scope['method'], ' ', scope['path'], ' ',
                                 scope['query_string'].decode(), ' ', body.decode(), ' ', str(self.startups)):
                        await asyncio.sleep(0)
                        await send({'type': 'http.response.body', 'body': part.encode(), 'more_body': True})
                    await send({'type': 'http.response.body', 'body': b''})

            app = App()
            """;

    @Test
    void anAsgiAppAnswersWithItsStatusHeadersAndStreamedBody() {
        String id = functions.deploy(APP);

        AdminApi.Response response = functions.call("POST", "/functions/" + id + "/invoke/items?x=1", "payload",
                Map.of("Content-Type", "text/plain"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.header("X-Root-Path")).isEqualTo("/functions/" + id + "/invoke");
        assertThat(response.body()).isEqualTo("hello POST /items x=1 payload 1");
    }

    @Test
    void theLifespanStartsOncePerLoadedVersion() {
        String id = functions.deploy(APP);
        String url = "/functions/" + id + "/invoke/";

        functions.call("GET", url, null, Map.of()).expect(201);
        AdminApi.Response second = functions.call("GET", url, null, Map.of()).expect(201);

        assertThat(second.body()).endsWith(" 1");
    }

    @Test
    void anAsgiAppThatRaisesIsTheUsualErrorEnvelope() {
        String id = functions.deploy("""
                async def app(scope, receive, send):
                    if scope['type'] == 'http':
                        raise RuntimeError('no route')
                    raise ValueError('no lifespan here')
                """);

        AdminApi.Response response = functions.call("GET", "/functions/" + id + "/invoke/", null, Map.of());

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("error").asString()).isEqualTo("RuntimeError: no route");
    }
}
