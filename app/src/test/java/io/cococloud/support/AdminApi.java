package io.cococloud.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client of the running server, as a script or the console would be. One instance
 * is one caller: it keeps its own cookies (session, XSRF-TOKEN) and, optionally, a bearer token.
 */
public final class AdminApi {

    public static final String ROOT_EMAIL = "root@cococloud.test";
    public static final String ROOT_PASSWORD = "root-password-for-tests";
    public static final String API = "/admin/api/v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private String bearer;

    private AdminApi(int port) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    /** A caller with no credentials at all. */
    public static AdminApi anonymous(int port) {
        return new AdminApi(port);
    }

    /** The instance administrator created at startup, with a personal access token. */
    public static AdminApi root(int port) {
        return withToken(port, ROOT_EMAIL, ROOT_PASSWORD);
    }

    public static AdminApi withToken(int port, String email, String password) {
        AdminApi api = new AdminApi(port);
        Response created = api.post(API + "/auth/token", Map.of("email", email, "password", password));
        created.expect(201);
        api.bearer = created.json().get("token").asString();
        return api;
    }

    /** A brand-new console account (made by root), signed in with a token. */
    public static AdminApi newAccount(int port) {
        String email = "user-" + UUID.randomUUID() + "@cococloud.test";
        String password = "password-" + UUID.randomUUID();
        accountMaker(port).post(API + "/accounts", Map.of("email", email, "password", password)).expect(201);
        return withToken(port, email, password);
    }

    private static final Map<Integer, AdminApi> ACCOUNT_MAKERS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Root with one token per server, kept for making accounts: each sign-in costs a BCrypt check (tens of
     * milliseconds of CPU), and hundreds of tests make accounts. Tests that need root's own fresh token (to
     * revoke it, say) still get one from {@link #root(int)}.
     */
    private static AdminApi accountMaker(int port) {
        return ACCOUNT_MAKERS.computeIfAbsent(port, AdminApi::root);
    }

    public String email() {
        return get(API + "/me").expect(200).json().get("email").asString();
    }

    public String bearerToken() {
        return bearer;
    }

    /** Creates a project owned by this caller and returns its id. */
    public String createProject() {
        return post(API + "/projects", Map.of("name", "Project " + UUID.randomUUID().toString().substring(0, 8)))
                .expect(201).json().get("id").asString();
    }

    /** Makes {@code invitee} a member of the project in {@code role}: invited by this caller, accepted by them. */
    public void addMember(String projectId, AdminApi invitee, String role) {
        String invitation = post(API + "/projects/" + projectId + "/members",
                Map.of("email", invitee.email(), "role", role)).expect(202).json().get("id").asString();
        invitee.post(API + "/invitations/" + invitation + "/accept", null).expect(200);
    }

    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Response post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    public Response delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** Fetches a CSRF token as the console does, then sends it with {@link #send}. */
    public String csrfToken() {
        return get(API + "/auth/csrf").expect(200).json().get("token").asString();
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Any request; a String body is sent as is (for malformed JSON), anything else as JSON. */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        if (body != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Fails with the body in the message, which is what one needs to see when it fails. */
        public Response expect(int status) {
            if (raw.statusCode() != status) {
                throw new AssertionError("Expected " + status + " from " + raw.request().method() + " "
                        + raw.request().uri() + " but got " + raw.statusCode() + ": " + raw.body());
            }
            return this;
        }
    }
}
