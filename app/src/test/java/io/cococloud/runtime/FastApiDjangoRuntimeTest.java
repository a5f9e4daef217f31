package io.cococloud.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.cococloud.project.ProjectDeleted;
import io.cococloud.runtime.FrameworkAppsRuntimeTest.Bundle;
import io.cococloud.support.DjangoApps;
import io.cococloud.support.EdgeOneExamples;

/**
 * FastAPI 0.115 (with the pure-Python pydantic 1) and Django 4.2 from Debian trixie, vendored in
 * {@code python_packages/}, run by the runtime itself: EdgeOne's FastAPI example answers under its route prefix,
 * FastAPI's plain {@code def} endpoints run inline (threads are forbidden), pydantic validates, and a Django app
 * configured in code renders its templates. Importing a framework takes seconds of CPU in a new context: the
 * functions' timeouts are generous on purpose (see FrameworkAppsRuntimeTest).
 */
@Tag("frameworks") // a JVM of its own: see app/pom.xml
class FastApiDjangoRuntimeTest {

    static PythonRuntime runtime;
    static FunctionCode edgeOnesFastApi;
    final List<UUID> ownProjects = new ArrayList<>();

    @BeforeAll
    static void start() {
        runtime = StandaloneRuntimes.start(Duration.ofMinutes(10), 0);
        edgeOnesFastApi = deployed(Bundle.of("fastapi", "python_packages/")
                .with(Map.of("api/index.py", EdgeOneExamples.FASTAPI), Map.of())
                .function("asgi", "api/index.py", "app"));
    }

    @AfterAll
    static void stop() {
        runtime.destroy();
    }

    @Test
    void edgeOnesFastApiExampleListsTheItemsUnderApi() {
        Outcome list = runtime.run(call(edgeOnesFastApi, "GET", "/api/items", null));

        assertThat(list.error()).as("traceback: %s", list.traceback()).isNull();
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.headers()).containsEntry("content-type", "application/json");
        assertThat(text(list)).isEqualTo("{\"items\":[{\"id\":1,\"name\":\"Item A\"},{\"id\":2,\"name\":\"Item B\"}]}");
    }

    @Test
    void edgeOnesFastApiExampleReadsTheItemIdAsAnInt() {
        Outcome item = runtime.run(call(edgeOnesFastApi, "GET", "/api/items/7", null));

        assertThat(item.error()).as("traceback: %s", item.traceback()).isNull();
        assertThat(item.status()).isEqualTo(200);
        assertThat(text(item)).isEqualTo("{\"item_id\":7,\"name\":\"Item 7\"}");
    }

    @Test
    void edgeOnesFastApiExampleCreatesAnItemFromTheJsonBody() {
        Outcome created = runtime.run(call(edgeOnesFastApi, "POST", "/api/items", "{\"name\": \"Item C\", \"price\": 3}"));

        assertThat(created.error()).as("traceback: %s", created.traceback()).isNull();
        assertThat(created.status()).isEqualTo(200);
        assertThat(text(created)).isEqualTo("{\"message\":\"Item created\",\"item\":{\"name\":\"Item C\",\"price\":3}}");
    }

    @Test
    void pydanticRefusesAnItemIdThatIsNotAnIntWithFastApisValidationError() {
        Outcome refused = runtime.run(call(edgeOnesFastApi, "GET", "/api/items/seven", null));

        assertThat(refused.error()).as("traceback: %s", refused.traceback()).isNull();
        assertThat(refused.status()).isEqualTo(422);
        assertThat(text(refused)).isEqualTo("{\"detail\":[{\"loc\":[\"path\",\"item_id\"],"
                + "\"msg\":\"value is not a valid integer\",\"type\":\"type_error.integer\"}]}");
    }

    @Test
    void aPlainDefFastApiEndpointRunsInlineAndValidatesItsPydanticModel() {
        FunctionCode function = deployed(Bundle.of("fastapi", "python_packages/").with(Map.of("index.py", """
                import threading
                from fastapi import Depends, FastAPI
                from pydantic import BaseModel

                app = FastAPI()

                class Order(BaseModel):
                    item: str
                    quantity: int = 1

                async def event_loop_thread():  # an async dependency runs on the event loop's thread
                    return threading.get_ident()

                @app.post('/orders')
                def place(order: Order, loop_thread: int = Depends(event_loop_thread)):
                    # a plain def: FastAPI calls it through anyio.to_thread.run_sync
                    return {'item': order.item, 'quantity': order.quantity,
                            'inline': threading.get_ident() == loop_thread}
                """), Map.of()).function("asgi", "index.py", "app"));

        Outcome placed = runtime.run(call(function, "POST", "/orders", "{\"item\": \"tea\", \"quantity\": \"2\"}"));
        Outcome invalid = runtime.run(call(function, "POST", "/orders", "{\"quantity\": 2}"));

        assertThat(placed.error()).as("traceback: %s", placed.traceback()).isNull();
        assertThat(text(placed)).isEqualTo("{\"item\":\"tea\",\"quantity\":2,\"inline\":true}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(text(invalid)).contains("\"loc\":[\"body\",\"item\"]", "field required");
    }

    @Test
    void aStreamedFastApiResponseArrivesWhole() {
        FunctionCode function = deployed(Bundle.of("fastapi", "python_packages/").with(Map.of("index.py", """
                import asyncio
                from fastapi import FastAPI
                from fastapi.responses import StreamingResponse

                app = FastAPI()

                async def lines():
                    for n in range(3):
                        yield f'line {n}\\n'
                        await asyncio.sleep(0)  # as a stream that awaits its data: other tasks run meanwhile

                @app.get('/lines')
                async def stream():
                    # Starlette stops a stream when the client disconnects: the request must not end before the response
                    return StreamingResponse(lines(), media_type='text/plain')
                """), Map.of()).function("asgi", "index.py", "app"));

        Outcome streamed = runtime.run(call(function, "GET", "/lines", null));

        assertThat(streamed.error()).as("traceback: %s", streamed.traceback()).isNull();
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(text(streamed)).isEqualTo("line 0\nline 1\nline 2\n");
    }

    @Test
    void aDjangoAsgiAppRunsItsPlainViewsInline() {
        FunctionCode function = inProjectOfItsOwn(deployed(Bundle.of("django", "python_packages/").with(Map.of("index.py", """
                import django
                from django.conf import settings

                settings.configure(SECRET_KEY='only-for-this-test', ALLOWED_HOSTS=['*'], ROOT_URLCONF=__name__,
                                   DATABASES={})
                django.setup()

                from django.core.asgi import get_asgi_application
                from django.http import JsonResponse
                from django.urls import path

                def plain(request):  # Django's ASGI handler calls a plain view through asgiref's sync_to_async
                    return JsonResponse({'path': request.path})

                async def coroutine(request):
                    return JsonResponse({'path': request.path})

                urlpatterns = [path('plain', plain), path('coroutine', coroutine)]
                application = get_asgi_application()
                """), Map.of()).function("asgi", "index.py", "application")));

        Outcome plain = runtime.run(call(function, "GET", "/plain", null));
        Outcome coroutine = runtime.run(call(function, "GET", "/coroutine", null));

        assertThat(plain.error()).as("traceback: %s", plain.traceback()).isNull();
        assertThat(text(plain)).isEqualTo("{\"path\": \"/f/plain\"}");
        assertThat(coroutine.error()).as("traceback: %s", coroutine.traceback()).isNull();
        assertThat(text(coroutine)).isEqualTo("{\"path\": \"/f/coroutine\"}");
    }

    @Test
    void aDjangoAppConfiguredInCodeAnswersItsUrlsAndRendersItsTemplate() {
        FunctionCode function = inProjectOfItsOwn(deployed(Bundle.of("django", "python_packages/")
                .with(Map.of("shop/index.py", DjangoApps.MINIMAL),
                        Map.of("shop/templates/hello.html", bytes(DjangoApps.HELLO_TEMPLATE)))
                .function("wsgi", "shop/index.py", "application")));

        Outcome page = runtime.run(call(function, "GET", "/shop/hello/Ada", null, "/shop"));
        Outcome items = runtime.run(call(function, "GET", "/shop/items", null, "/shop"));
        Outcome missing = runtime.run(call(function, "GET", "/shop/nothing", null, "/shop"));

        assertThat(page.error()).as("traceback: %s", page.traceback()).isNull();
        assertThat(page.status()).as("body: %s", text(page)).isEqualTo(200);
        assertThat(page.headers()).containsEntry("Content-Type", "text/html; charset=utf-8");
        assertThat(text(page)).isEqualTo("<h1>Hello Ada</h1>\n<p>2 items: tea, &lt;cake&gt;</p>\n");
        assertThat(text(items)).isEqualTo("{\"items\": [\"tea\", \"<cake>\"], \"path\": \"/f/shop/items\"}");
        assertThat(missing.status()).isEqualTo(404);
    }

    /**
     * The function in a project of its own, whose contexts close after the test: a context that imported Django holds
     * 150 MB and more, and each version imports its own copy, so the Django tests do not share the FastAPI tests' one.
     */
    private FunctionCode inProjectOfItsOwn(FunctionCode function) {
        UUID project = UUID.randomUUID();
        ownProjects.add(project);
        return new FunctionCode(project, function.functionId(), function.name(), function.version(), function.style(),
                function.entryFile(), function.entryName(), function.files(), function.timeout(), function.tree());
    }

    @AfterEach
    void closeOwnProjectsContexts() {
        ownProjects.forEach(project -> runtime.projectDeleted(new ProjectDeleted(project)));
    }

    /**
     * Checks the version's sources as a site's deploy does, which compiles every Python file (the packages' too) into
     * the bytecode contexts load: the first call then imports the framework without compiling it on its own thread.
     */
    private static FunctionCode deployed(FunctionCode function) {
        PythonRuntime.Check check = runtime.check(function.files(), function.entryFile(), function.entryName(),
                function.style());
        assertThat(check.ok()).as("check: %s", check).isTrue();
        return function;
    }

    private static Invocation call(FunctionCode function, String method, String path, String json) {
        return call(function, method, path, json, "/api");
    }

    private static Invocation call(FunctionCode function, String method, String path, String json, String prefix) {
        byte[] body = json == null ? new byte[0] : bytes(json);
        List<Map.Entry<String, String>> headers = json == null ? List.of()
                : List.of(Map.entry("Content-Type", "application/json"));
        String routePrefix = path.startsWith(prefix + "/") ? prefix : "";
        return new Invocation(function, "req-1", method, "/f", routePrefix, path, "", headers, List.of(), body,
                Map.of(), null, Invocation.Peer.LOCAL, null);
    }

    private static String text(Outcome outcome) {
        return outcome.body() == null ? "" : new String(outcome.body(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
