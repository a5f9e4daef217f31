package io.cococloud.web;

import static io.cococloud.support.AdminApi.API;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * Walks openapi.yaml and sends every operation malformed, hostile and out-of-range values, one at
 * a time, in its path parameters, query parameters and JSON or multipart body (invalid UTF-8, NUL,
 * lone surrogates, numbers beyond a double or a long, wrong types, very long strings, an encoded
 * '/' or NUL in a path segment), with valid credentials: a console token for the admin API, the
 * project's server key for the client API. Every answer must be below 500, every error a problem
 * document (execution URLs: their JSON), and data the calls never addressed (a canary project's
 * documents, users and function, and a collection of the target project itself) unchanged.
 *
 * <p>Values are sampled per operation with a fixed seed rather than crossed, to keep the run short
 * and any failure reproducible; the seed is in the failure message.
 */
@IntegrationTest
class OpenApiFuzzTest {

    private static final long SEED = 20261130L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Path segments, already percent-encoded as a client would put them on the wire. No dot segments: a
     * {@code ..} would be normalised into another URL (DELETE .../keys/.. is DELETE the project). */
    private static final List<String> PATH_VALUES = List.of("a%2Fb", "a%00b", "%ff", "%ED%B0%80", "%C3%28",
            "-1", "99999999999999999999", "x".repeat(2000), "%27%20OR%201%3D1--", "%3Cscript%3E", "%20");

    private static final List<String> QUERY_VALUES = List.of("%ff", "%00", "a%00b", "%ED%A0%80", "-1",
            "0", "99999999999999999999", "1e400", "x".repeat(3000), "%5B%5D", "", "a%2Fb", "%27%20OR%201%3D1--",
            "true", "NaN");

    /** JSON values, written out as JSON text (so the escapes are exactly what a client sends). */
    private static final List<String> JSON_VALUES = List.of("\"a\\u0000b\"", "\"\\udc00\"", "\"x\\ud800y\"",
            "1e400", "-1e400", "1e-400", "18446744073709551616", "-9223372036854775809", "1" + "0".repeat(400),
            "\"" + "y".repeat(100_000) + "\"", "[1, \"two\", null]", "{\"a\": {\"b\": []}}", "{\"\\u0000\": 1}",
            "null", "true", "-1", "0.5", "\"\"", "\"%00\"", "\"\\ud83d\\ude00\"");

    private static final List<byte[]> RAW_BODIES = List.of(
            bytes("{\"a\": \"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}"),
            bytes("{\"name\": \"", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}"),
            "{\"name\": ".getBytes(StandardCharsets.UTF_8),
            ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8),
            "\"\\u0000\"".getBytes(StandardCharsets.UTF_8),
            "1e400".getBytes(StandardCharsets.UTF_8),
            "[]".getBytes(StandardCharsets.UTF_8));

    @LocalServerPort
    int port;

    @Test
    void everyOperationAnswersHostileInputWithA4xxOfItsKindAndLeavesUnaddressedDataAlone() {
        OpenAPI spec = readSpec();
        Target target = new Target(port);
        Target canary = new Target(port);
        String canaryBefore = canary.snapshot();
        String untouchedBefore = target.untouched();

        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, PathItem> path : spec.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                for (Call call : calls(path.getKey(), op.getKey().name(), op.getValue(), target, random)) {
                    sent++;
                    String failure = check(call, send(call, target));
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            }
        }

        assertThat(sent).as("requests sent").isGreaterThan(400);
        assertThat(failures).as("answers to hostile input (seed %d)", SEED).isEmpty();
        assertThat(canary.snapshot()).as("a project the calls never addressed").isEqualTo(canaryBefore);
        assertThat(target.untouched()).as("a collection the calls never addressed").isEqualTo(untouchedBefore);
    }

    /** The requests for one operation: each with one hostile element and everything else valid. */
    private List<Call> calls(String template, String method, Operation operation, Target target, Random random) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        List<String> pathNames = new ArrayList<>();
        List<String> queryNames = new ArrayList<>();
        for (Parameter parameter : parameters) {
            if ("path".equals(parameter.getIn())) {
                pathNames.add(parameter.getName());
            } else if ("query".equals(parameter.getIn())) {
                queryNames.add(parameter.getName());
            }
        }
        for (String segment : template.split("/")) {
            if (segment.startsWith("{") && !pathNames.contains(segment.substring(1, segment.length() - 1))) {
                pathNames.add(segment.substring(1, segment.length() - 1));
            }
        }
        String validPath = fill(template, Map.of(), target);
        List<Call> calls = new ArrayList<>();
        for (String name : pathNames) {
            String value = pick(PATH_VALUES, random);
            calls.add(new Call(method, fill(template, Map.of(name, value), target), null, null, null,
                    "path " + name + "=" + abbreviate(value)));
        }
        // A DELETE with a valid path would delete the very thing; only its path is fuzzed.
        if (method.equals("DELETE")) {
            return calls;
        }
        List<String> queryTargets = new ArrayList<>(queryNames);
        queryTargets.add(pick(List.of("%ff", "%00", "title", "a%00b"), random)); // a parameter it does not declare
        for (String name : queryTargets) {
            String value = pick(QUERY_VALUES, random);
            calls.add(new Call(method, validPath, name + "=" + value, null, null,
                    "query " + name + "=" + abbreviate(value)));
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            var content = operation.getRequestBody().getContent();
            if (content.containsKey("application/json")) {
                calls.addAll(jsonBodies(method, validPath, content.get("application/json").getSchema(), random));
            }
            if (content.containsKey("multipart/form-data")) {
                calls.addAll(multipartBodies(method, validPath));
            }
        }
        return calls;
    }

    private List<Call> jsonBodies(String method, String path, Schema<?> schema, Random random) {
        List<Call> calls = new ArrayList<>();
        Map<String, Schema> properties = schema == null || schema.getProperties() == null ? Map.of()
                : schema.getProperties();
        List<String> names = new ArrayList<>(properties.keySet());
        for (int i = 0; i < Math.min(6, names.size() * 2); i++) {
            String name = names.get(random.nextInt(names.size()));
            String value = pick(JSON_VALUES, random);
            Map<String, String> fields = new LinkedHashMap<>();
            properties.forEach((n, s) -> fields.put(n, plausible(s)));
            // Free-form objects (document data, user data) get the value one level down as well.
            boolean nested = "object".equals(properties.get(name).getType()) && random.nextBoolean();
            fields.put(name, nested ? "{\"f\": " + value + "}" : value);
            StringBuilder json = new StringBuilder("{");
            fields.forEach((n, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(n).append("\": ")
                    .append(v));
            calls.add(new Call(method, path, null, json.append('}').toString().getBytes(StandardCharsets.UTF_8),
                    "application/json", "body " + name + (nested ? ".f" : "") + "=" + abbreviate(value)));
        }
        // A top-level array body (the batch endpoints' documents) gets the values as elements.
        calls.add(new Call(method, path, null, ("[" + pick(JSON_VALUES, random) + "]").getBytes(StandardCharsets.UTF_8),
                "application/json", "body [value]"));
        for (int i = 0; i < 2; i++) {
            byte[] raw = RAW_BODIES.get(random.nextInt(RAW_BODIES.size()));
            calls.add(new Call(method, path, null, raw, "application/json",
                    "raw body " + abbreviate(new String(raw, StandardCharsets.UTF_8))));
        }
        return calls;
    }

    private static List<Call> multipartBodies(String method, String path) {
        String boundary = "fuzz-" + UUID.randomUUID();
        List<Call> calls = new ArrayList<>();
        calls.add(multipart(method, path, boundary, "data", null, bytes("{\"t\": \"a\\u0000b\"}"), "data with NUL"));
        calls.add(multipart(method, path, boundary, "data", null,
                bytes("{\"t\": \"", new byte[] {(byte) 0xff}, "\"}"), "data not UTF-8"));
        calls.add(multipart(method, path, boundary, "file", "a\0b.txt", bytes("x"), "file name with NUL"));
        calls.add(multipart(method, path, boundary, "zip", "z.zip", bytes("not a zip"), "zip that is not one"));
        calls.add(new Call(method, path, null, bytes("--" + boundary + "\r\nContent-Disposition: form-data"),
                "multipart/form-data; boundary=" + boundary, "multipart cut short"));
        return calls;
    }

    private static Call multipart(String method, String path, String boundary, String field, String fileName,
            byte[] content, String why) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"") + "\r\n\r\n"));
        body.writeBytes(content);
        body.writeBytes(bytes("\r\n--" + boundary + "--\r\n"));
        return new Call(method, path, null, body.toByteArray(), "multipart/form-data; boundary=" + boundary, why);
    }

    /** A value of roughly the right type, so the hostile field is not the only thing wrong. */
    private static String plausible(Schema<?> schema) {
        String type = schema == null || schema.getType() == null ? "string" : schema.getType();
        return switch (type) {
            case "integer" -> "1";
            case "number" -> "1.5";
            case "boolean" -> "true";
            case "array" -> "[]";
            case "object" -> "{}";
            default -> schema.getEnum() != null && !schema.getEnum().isEmpty()
                    ? "\"" + schema.getEnum().getFirst() + "\"" : "\"fuzz\"";
        };
    }

    /** The template with valid values for its parameters, except those given (already encoded). */
    private static String fill(String template, Map<String, String> overrides, Target target) {
        StringBuilder path = new StringBuilder();
        for (String segment : template.substring(1).split("/", -1)) {
            path.append('/');
            if (segment.startsWith("{")) {
                String name = segment.substring(1, segment.length() - 1);
                path.append(overrides.getOrDefault(name, target.valid(name, template)));
            } else {
                path.append(segment);
            }
        }
        return path.toString();
    }

    private HttpResponse<String> send(Call call, Target target) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + call.path()
                + (call.query() == null ? "" : "?" + call.query()))).timeout(Duration.ofSeconds(30));
        if (call.path().startsWith("/admin/") || call.path().startsWith("/actuator/")) {
            request.header("Authorization", "Bearer " + target.owner.bearerToken());
        } else if (call.path().startsWith("/collections") || call.path().startsWith("/auth-collections")) {
            request.header("x-api-key", target.serverKey);
        }
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        request.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with the answer, or null. */
    private static String check(Call call, HttpResponse<String> response) {
        String what = call.method() + " " + abbreviate(call.path()) + (call.query() == null ? "" : "?"
                + abbreviate(call.query())) + " [" + call.why() + "]";
        if (response == null) {
            return what + ": no answer";
        }
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            return what + ": " + status + " " + abbreviate(response.body());
        }
        if (status < 400) {
            return null;
        }
        boolean execution = call.path().startsWith("/functions/") || call.path().startsWith("/p/");
        String expected = execution ? "application/json" : "application/problem+json";
        if (!type.startsWith(expected)) {
            return what + ": " + status + " as '" + type + "', not " + expected + ": " + abbreviate(response.body());
        }
        if (call.method().equals("HEAD")) {
            return null; // no body to look into
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return what + ": " + status + " shows Java internals: " + abbreviate(response.body());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (execution ? !body.has("error") : !body.has("type") || !body.has("detail")) {
                return what + ": " + status + " without the fields of its kind: " + abbreviate(response.body());
            }
        } catch (RuntimeException e) {
            return what + ": " + status + " whose body is not JSON: " + abbreviate(response.body());
        }
        return null;
    }

    static OpenAPI readSpec() {
        Path file = Path.of(System.getProperty("cococloud.repo", "../")).resolve("openapi.yaml");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        return new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options).getOpenAPI();
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\0", "\\0").replace("\n", " ");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    record Call(String method, String path, String query, byte[] body, String contentType, String why) {}

    /**
     * A fresh account with a project holding one of everything the API addresses, so valid path
     * parameters name real things; the fuzzing project and, built the same way, the canary.
     */
    static final class Target {
        /**
         * Echoes what it was sent (lone surrogates included) so the answer carries the hostile values;
         * what JSON cannot hold (inf) is spelled out and deep nesting cut, so that it never fails itself.
         */
        private static final String ECHO = """
                def clean(value, depth=0):
                    if depth > 20:
                        return '...'
                    if isinstance(value, float) and not math.isfinite(value):
                        return str(value)
                    if isinstance(value, dict):
                        return {key: clean(item, depth + 1) for key, item in value.items()}
                    if isinstance(value, list):
                        return [clean(item, depth + 1) for item in value]
                    return value

                def main():
                    return {'q': dict(request.query_params), 'body': clean(request.json())}
                """;

        final AdminApi owner;
        final String project;
        final String serverKey;
        final String function;
        final String functionName;
        final String document;
        final String user;
        final String keyId;
        final String memberId;
        private final int port;

        Target(int port) {
            this.port = port;
            owner = AdminApi.newAccount(port);
            project = owner.createProject();
            String base = API + "/projects/" + project;
            JsonNode key = owner.post(base + "/keys", Map.of("kind", "server")).expect(201).json();
            serverKey = key.get("key").asString();
            keyId = key.get("id").asString();
            functionName = "echo";
            function = owner.post(base + "/functions", Map.of("name", functionName, "code", ECHO)).expect(201)
                    .json().get("id").asString();
            document = client("POST", "/collections/documents?collection=posts", Map.of("data",
                    Map.of("title", "first", "views", 3))).expect(201).json().get("id").asString();
            for (int i = 0; i < 3; i++) {
                client("POST", "/collections/documents?collection=untouched", Map.of("data", Map.of("n", i)))
                        .expect(201);
            }
            user = client("POST", "/auth-collections/signup", Map.of("email", "fuzz-" + UUID.randomUUID()
                    + "@example.test", "password", "password-1", "data", Map.of("name", "Ann"))).expect(201).json()
                    .get("user").get("id").asString();
            owner.post(base + "/templates", Map.of("name", "page.html", "content", "<p>{{ x }}</p>")).expect(201);
            owner.post(base + "/email-templates", Map.of("id", "welcome", "subject", "Hi", "html", "<p>Hi</p>"))
                    .expect(201);
            owner.put(base + "/secrets/API_KEY", Map.of("value", "s")).expect(201);
            owner.put(base + "/variables/API_URL", Map.of("value", "v")).expect(201);
            memberId = owner.get(base + "/members").expect(200).json().get(0).get("id").asString();
        }

        /** A valid value for a path parameter of the given path template. */
        String valid(String name, String template) {
            return switch (name) {
                case "projectId", "projectRef" -> project;
                case "functionRef", "functionId" -> function;
                case "name" -> template.contains("/func/") ? functionName
                        : template.contains("/secrets/") ? "API_KEY" : "API_URL";
                case "collection" -> "posts";
                case "id" -> document;
                case "userId" -> user;
                case "templateId" -> "welcome";
                case "keyId" -> keyId;
                case "memberId" -> memberId;
                case "version" -> "1";
                case "path" -> template.contains("/templates/") ? "page.html" : "index.html";
                default -> UUID.randomUUID().toString(); // tokenId, executionId: none of ours
            };
        }

        AdminApi.Response client(String method, String path, Object body) {
            return AdminApi.anonymous(port).send(method, path, body, Map.of("x-api-key", serverKey));
        }

        /** The collection no fuzzed call names. */
        String untouched() {
            return client("GET", "/collections/untouched/documents?sort=n&order=asc", null).expect(200).body();
        }

        /** Everything of this project that the canary comparison covers. */
        String snapshot() {
            String base = API + "/projects/" + project;
            JsonNode fn = owner.get(base + "/functions/" + function).expect(200).json();
            return String.join("\n",
                    client("GET", "/collections/posts/documents", null).expect(200).body(),
                    untouched(),
                    client("GET", "/auth-collections/users", null).expect(200).body(),
                    String.valueOf(fn.get("code")), String.valueOf(fn.get("version")), String.valueOf(fn.get("enabled")),
                    owner.get(base + "/templates/page.html").expect(200).json().get("content").asString(),
                    owner.get(base + "/variables").expect(200).body(),
                    owner.get(base).expect(200).body());
        }
    }
}
