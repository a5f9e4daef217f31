package io.cococloud.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;
import io.cococloud.support.ReferenceFunctions;

/**
 * The main() examples of reference/cococloud-function-environment.txt, verbatim (the document
 * lost its indentation; it is restored here and nothing else is changed), deployed and called
 * over HTTP. Each test asserts what the document, completed by docs/functions.md (what a function sees, responses),
 * says the example returns.
 *
 * <p>Run verbatim elsewhere, beside the objects they need: Example 1 (PopulateTest), Use Pagination
 * (DatabaseInFunctionsTest), the authenticated branches of Query Parameter Auth and API Endpoint with
 * Auth (DatabaseUsersTest), {@code request.send_mail()} (SendMailTest), {@code render.render_template()}
 * and render.render_html with posts (RenderTemplateTest). Run verbatim nowhere yet: Quick Examples (it
 * needs a signed-in user and a post-123), Cache Heavy Operations (it calls a calculate_stats() the
 * document never defines), Handle Errors Gracefully, and "Collections and Counting". The
 * unauthenticated branches of the examples that read {@code request.user} or look a token up are
 * tested here ({@code request.user} is {@code None} for an anonymous call).
 */
@IntegrationTest
class ReferenceExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Functions functions;

    @LocalServerPort
    int port;

    @BeforeEach
    void oneProjectForAllExamples() {
        if (functions == null) {
            functions = Functions.inNewProject(port);
        }
    }

    // ---- The request object ----

    @Test
    void requestPropertiesAreAllReadable() {
        String id = functions.deploy("""
                def main():
                    # Get data from POST body or GET query params
                    name = request.get('name', 'Guest')
                    age = request.get('age', 0)
                    # Access all payload data
                    all_data = request.json()
                    # Get query parameters (GET requests)
                    page = request.query_params.get('page', '1')
                    # Access headers
                    auth_token = request.headers.get('authorization', '')
                    # Check HTTP method
                    method = request.method # 'GET' or 'POST'
                    # Request timestamp
                    timestamp = request.timestamp
                    # Current user (if authenticated)
                    user = request.user # AppUser object or None
                    # Project ID
                    project_id = request.proj
                """);

        JsonNode get = envelope(functions.get(id, "name=John&age=25&page=2"), 200);
        assertThat(get.get("result").isNull()).as("main() returns None").isTrue();

        JsonNode post = envelope(functions.post(id, "{\"name\": \"John\", \"age\": 25}"), 200);
        assertThat(post.get("result").isNull()).isTrue();
    }

    @Test
    void requestGetGreetsByNameFromQueryOrBody() {
        String id = functions.deploy("""
                def main():
                    # From POST body: {"name": "John"}
                    # Or GET query: ?name=John
                    name = request.get('name', 'Anonymous')
                    return {"greeting": f"Hello, {name}!"}
                """);

        assertResult(envelope(functions.post(id, "{\"name\": \"John\"}"), 200), """
                {"greeting": "Hello, John!"}""");
        assertResult(envelope(functions.get(id, "name=John"), 200), """
                {"greeting": "Hello, John!"}""");
        assertResult(envelope(functions.get(id, null), 200), """
                {"greeting": "Hello, Anonymous!"}""");
    }

    @Test
    void requestJsonReturnsTheWholePayload() {
        String id = functions.deploy("""
                def main():
                    data = request.json()
                    # Returns: {"name": "John", "age": 25, "email": "john@example.com"}
                    return {
                        "received": data,
                        "keys": list(data.keys())
                    }
                """);

        JsonNode envelope = envelope(
                functions.post(id, "{\"name\": \"John\", \"age\": 25, \"email\": \"john@example.com\"}"), 200);

        assertResult(envelope, """
                {
                  "received": {"name": "John", "age": 25, "email": "john@example.com"},
                  "keys": ["name", "age", "email"]
                }""");
    }

    @Test
    void userAuthenticationAnswers401WithoutAUser() {
        String id = functions.deploy("""
                def main():
                    user = request.user
                    if not user:
                        return {"error": "Authentication required"}, 401
                    # User properties
                    user_id = user.id
                    email = user.email
                    user_data = user.data # Custom user fields
                    roles = user.roles
                    return {
                        "user_id": user_id,
                        "email": email,
                        "roles": roles
                    }
                """);

        assertResult(envelope(functions.get(id, null), 401), """
                {"error": "Authentication required"}""");
    }

    // ---- Response types ----

    @Test
    void jsonResponseIsTheDocumentedEnvelope() {
        String id = functions.deploy("""
                def main():
                    return {
                        "success": True,
                        "message": "Operation completed",
                        "data": {
                            "id": "123",
                            "name": "John"
                        }
                    }
                """);

        AdminApi.Response response = functions.get(id, null);
        JsonNode envelope = envelope(response, 200);

        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertResult(envelope, """
                {
                  "success": true,
                  "message": "Operation completed",
                  "data": {"id": "123", "name": "John"}
                }""");
        assertThat(envelope.get("output").asString()).isEmpty();
        assertThat(envelope.get("error").isNull()).isTrue();
    }

    @Test
    void htmlResponseIsRawHtml() {
        String code = """
                def main():
                    html = '''
                    <!DOCTYPE html>
                    <html>
                    <head>
                        <title>My Page</title>
                    </head>
                    <body>
                        <h1>Hello World!</h1>
                    </body>
                    </html>
                    '''
                    return render.render_html(html)
                """;
        String id = functions.deploy(code);

        AdminApi.Response response = functions.get(id, null).expect(200);

        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains(tripleQuoted(code).strip());
        assertThat(response.body()).doesNotContain("\"success\"");
    }

    @Test
    void stringResponseIsTheResultOfTheEnvelope() {
        String id = functions.deploy("""
                def main():
                    return "Hello, World!"
                """);

        JsonNode envelope = envelope(functions.get(id, null), 200);

        assertThat(envelope.get("result").isString()).isTrue();
        assertThat(envelope.get("result").asString()).isEqualTo("Hello, World!");
        assertThat(envelope.get("output").asString()).isEmpty();
        assertThat(envelope.get("error").isNull()).isTrue();
    }

    @Test
    void statusCodesAnswer401WithoutAUser() {
        String id = functions.deploy("""
                def main():
                    user = request.user
                    if not user:
                        return {"error": "Unauthorized"}, 401
                    if not user.is_admin:
                        return {"error": "Forbidden"}, 403
                    post = db.find_one("posts", id=request.get('post_id'))
                    if not post:
                        return {"error": "Not found"}, 404
                    return {"post": post}, 200
                """);

        JsonNode envelope = envelope(functions.get(id, "post_id=post-123"), 401);

        assertResult(envelope, """
                {"error": "Unauthorized"}""");
        assertThat(envelope.get("error").isNull()).as("a returned status is not an error").isTrue();
    }

    @Test
    void errorHandlingReturnsInternalServerErrorWhenTheOperationFails() {
        // some_operation is not defined anywhere: the call raises NameError, which the example's
        // `except Exception` turns into its own 500 answer.
        String id = functions.deploy("""
                def main():
                    try:
                        result = some_operation()
                        return {"result": result}
                    except ValueError as e:
                        return {"error": str(e)}, 400
                    except Exception as e:
                        return {"error": "Internal server error"}, 500
                """);

        JsonNode envelope = envelope(functions.get(id, null), 500);

        assertResult(envelope, """
                {"error": "Internal server error"}""");
        assertThat(envelope.get("error").isNull()).as("the function answered; nothing was raised").isTrue();
        assertThat(envelope.get("output").asString()).isEmpty();
    }

    @Test
    void errorResponseOfAnUncaughtError() {
        // "Errors are automatically caught and returned", with the error as "Type: message".
        String id = functions.deploy("""
                def main():
                    raise ValueError("Error message here")
                """);

        JsonNode envelope = envelope(functions.get(id, null), 500);

        assertThat(envelope.get("result").isNull()).isTrue();
        assertThat(envelope.get("output").asString()).isEmpty();
        assertThat(envelope.get("error").asString()).isEqualTo("ValueError: Error message here");
    }

    // ---- The env object ----

    @Test
    void envGivesProjectAndRuntime() {
        String id = functions.deploy("""
                def main():
                    # Project ID
                    project_id = env.project_id
                    # Execution environment
                    runtime = env.runtime # "python3.10"
                    # Static files base URL
                    static_url = env.static_base_url
                    return {
                        "project": project_id,
                        "runtime": runtime
                    }
                """);

        JsonNode result = envelope(functions.get(id, null), 200).get("result");

        assertThat(result.propertyNames()).containsExactly("project", "runtime");
        assertThat(result.get("project").asString()).isEqualTo(functions.projectId());
        assertThat(result.get("runtime").asString()).matches("python3\\.\\d+");
    }

    // ---- Available modules ----

    @Test
    void coreModulesAreAllPreloaded() {
        String id = functions.deploy("""
                def main():
                    # ✅ Available directly (no import needed)
                    # JSON handling
                    data = json.loads('{"key": "value"}')
                    text = json.dumps({"data": 123})
                    # Date and time
                    now = datetime.now()
                    tomorrow = now + timedelta(days=1)
                    expires = now + timedelta(minutes=5)
                    timestamp = time.time()
                    # Mathematics
                    result = math.sqrt(16)
                    rounded = math.ceil(4.3)
                    # Regular expressions
                    pattern = re.compile(r'\\d+')
                    matches = re.findall(r'[a-z]+', text)
                    # Random numbers (regular)
                    num = random.randint(1, 100)
                    choice = random.choice(['a', 'b', 'c'])
                    # Cryptographically secure random
                    otp = ''.join([str(secrets.randbelow(10)) for _ in range(6)])
                    token = secrets.token_urlsafe(32)
                    # UUID generation
                    unique_id = str(uuid.uuid4())
                    # Hashing
                    hash_md5 = hashlib.md5(b"data").hexdigest()
                    hash_sha256 = hashlib.sha256(b"data").hexdigest()
                    # Base64 encoding/decoding
                    encoded = base64.b64encode(b"data").decode()
                    decoded = base64.b64decode(encoded)
                    # URL handling
                    from urllib.parse import urlencode, parse_qs
                    query_string = urlencode({'key': 'value'})
                    parsed = parse_qs('key=value&foo=bar')
                    # String constants
                    letters = string.ascii_letters
                    digits = string.digits
                    punctuation = string.punctuation
                    # Collections
                    counter = collections.Counter([1, 1, 2, 3, 3, 3])
                    groups = collections.defaultdict(list)
                    # Itertools
                    for pair in itertools.combinations([1, 2, 3], 2):
                        print(pair)
                    # Functools
                    from functools import reduce
                    total = reduce(lambda x, y: x + y, [1, 2, 3, 4])
                """);

        JsonNode envelope = envelope(functions.get(id, null), 200);

        assertThat(envelope.get("result").isNull()).isTrue();
        assertThat(envelope.get("output").asString()).isEqualTo("(1, 2)\n(1, 3)\n(2, 3)\n");
    }

    @Test
    void otpGenerationGivesSixDigitsAndAUrlSafeToken() {
        String id = functions.deploy("""
                def main():
                    # Generate 6-digit OTP (cryptographically secure)
                    otp = ''.join([str(secrets.randbelow(10)) for _ in range(6)])
                    # Alternative: alphanumeric OTP
                    chars = string.ascii_uppercase + string.digits
                    otp_code = ''.join(secrets.choice(chars) for _ in range(8))
                    # Secure token
                    auth_token = secrets.token_urlsafe(32)
                    return {"otp": otp, "token": auth_token}
                """);

        JsonNode first = envelope(functions.get(id, null), 200).get("result");
        JsonNode second = envelope(functions.get(id, null), 200).get("result");

        for (JsonNode result : new JsonNode[] {first, second}) {
            assertThat(result.propertyNames()).containsExactly("otp", "token");
            assertThat(result.get("otp").asString()).matches("\\d{6}");
            // 32 random bytes in unpadded base64url
            assertThat(result.get("token").asString()).matches("[A-Za-z0-9_-]{43}");
        }
        assertThat(second.get("token").asString()).isNotEqualTo(first.get("token").asString());
    }

    @Test
    void passwordHashingReturnsTheSha512OfThePassword() throws NoSuchAlgorithmException {
        String id = functions.deploy("""
                def main():
                    password = request.get('password')
                    # Hash password with SHA256
                    hashed = hashlib.sha256(password.encode()).hexdigest()
                    # Or use SHA512 for better security
                    hashed = hashlib.sha512(password.encode()).hexdigest()
                    return {"hash": hashed}
                """);
        String password = "correct horse battery staple";
        String sha512 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-512").digest(password.getBytes(StandardCharsets.UTF_8)));

        JsonNode envelope = envelope(functions.post(id, Map.of("password", password)), 200);

        assertThat(envelope.get("result").propertyNames()).containsExactly("hash");
        assertThat(envelope.get("result").get("hash").asString()).isEqualTo(sha512);
    }

    @Test
    void urlOperationsEncodeAndDecode() {
        String id = functions.deploy("""
                def main():
                    # Parse URL parameters
                    from urllib.parse import parse_qs, urlencode, quote, unquote
                    # Encode parameters
                    params = urlencode({'name': 'John Doe', 'age': 30})
                    # Result: 'name=John+Doe&age=30'
                    # Parse query string
                    parsed = parse_qs('name=John&age=30')
                    # Result: {'name': ['John'], 'age': ['30']}
                    # URL encode/decode
                    encoded = quote('Hello World!')
                    decoded = unquote('Hello%20World%21')
                    return {"encoded": encoded, "decoded": decoded}
                """);

        assertResult(envelope(functions.get(id, null), 200), """
                {"encoded": "Hello%20World%21", "decoded": "Hello World!"}""");
    }

    @Test
    void dataValidationWithRegexChecksEmailAndPhone() {
        String id = functions.deploy("""
                def main():
                    email = request.get('email')
                    phone = request.get('phone')
                    # Validate email
                    email_pattern = r'^[\\w\\.-]+@[\\w\\.-]+\\.\\w+$'
                    is_valid_email = bool(re.match(email_pattern, email))
                    # Validate phone (US format)
                    phone_pattern = r'^\\d{3}-\\d{3}-\\d{4}$'
                    is_valid_phone = bool(re.match(phone_pattern, phone))
                    # Extract numbers from text
                    numbers = re.findall(r'\\d+', "Order #123 costs $45")
                    # Result: ['123', '45']
                    return {
                        "email_valid": is_valid_email,
                        "phone_valid": is_valid_phone,
                        "numbers": numbers
                    }
                """);

        assertResult(envelope(functions.post(id, "{\"email\": \"a@b.co\", \"phone\": \"555-123-4567\"}"), 200), """
                {"email_valid": true, "phone_valid": true, "numbers": ["123", "45"]}""");
        assertResult(envelope(functions.get(id, "email=not-an-email&phone=5551234567"), 200), """
                {"email_valid": false, "phone_valid": false, "numbers": ["123", "45"]}""");
    }

    // "Collections and Counting" is not here: it groups db.query("products"), and no test seeds products yet.

    @Test
    void itertoolsCombinationsGivePairsAndProducts() {
        String id = functions.deploy("""
                def main():
                    # Generate all combinations
                    items = ['A', 'B', 'C', 'D']
                    # Pairs
                    pairs = list(itertools.combinations(items, 2))
                    # Result: [('A','B'), ('A','C'), ('A','D'), ('B','C'), ('B','D'), ('C','D')]
                    # Permutations (order matters)
                    perms = list(itertools.permutations(items, 2))
                    # Product (cartesian product)
                    products = list(itertools.product([1, 2], ['a', 'b']))
                    # Result: [(1,'a'), (1,'b'), (2,'a'), (2,'b')]
                    return {"pairs": pairs, "products": products}
                """);

        assertResult(envelope(functions.get(id, null), 200), """
                {
                  "pairs": [["A", "B"], ["A", "C"], ["A", "D"], ["B", "C"], ["B", "D"], ["C", "D"]],
                  "products": [[1, "a"], [1, "b"], [2, "a"], [2, "b"]]
                }""");
    }

    // ---- Authentication: the branches before any token is looked up ----

    @Test
    void queryParameterAuthRequiresAToken() {
        String id = functions.deploy("""
                def main():
                    token = request.query_params.get('token')
                    if not token:
                        return {"error": "Token required"}, 401
                    # Validate token
                    user = db.find_user(auth_token=token)
                    if not user:
                        return {"error": "Invalid token"}, 401
                    return {"user": user}
                """);

        assertResult(envelope(functions.get(id, "name=John"), 401), """
                {"error": "Token required"}""");
    }

    @Test
    void headerAuthRequiresABearerHeader() {
        String id = functions.deploy("""
                def main():
                    auth_header = request.headers.get('authorization', '')
                    if not auth_header.startswith('Bearer '):
                        return {"error": "Invalid authorization"}, 401
                    token = auth_header.replace('Bearer ', '')
                    # Validate token
                    user = db.find_user(auth_token=token)
                    return {"user": user}
                """);

        assertResult(envelope(functions.post(id, "{\"data\": \"value\"}"), 401), """
                {"error": "Invalid authorization"}""");
        assertResult(envelope(functions.call("POST", "/functions/" + id + "/execute", "{\"data\": \"value\"}",
                Map.of("Authorization", "Basic dXNlcjpwYXNz")), 401), """
                {"error": "Invalid authorization"}""");
    }

    @Test
    void builtInUserAsksToLogIn() {
        String id = functions.deploy("""
                def main():
                    user = request.user
                    if not user:
                        return {"error": "Please log in"}, 401
                    # User is automatically available
                    return {
                        "user_id": user.id,
                        "email": user.email,
                        "name": user.data.get('name')
                    }
                """);

        assertResult(envelope(functions.get(id, null), 401), """
                {"error": "Please log in"}""");
    }

    // ---- Complete examples ----

    @Test
    void apiEndpointWithAuthRequiresAuthorization() {
        String id = functions.deploy("""
                def main():
                    # Check authentication
                    token = request.headers.get('authorization', '').replace('Bearer ', '')
                    if not token:
                        return {"error": "Authorization required"}, 401
                    # Validate token
                    user = db.find_user(auth_token=token)
                    if not user:
                        return {"error": "Invalid token"}, 401
                    # Get action from payload
                    action = request.get('action')
                    if action == 'get_profile':
                        return {
                            "user": {
                                "id": user.id,
                                "email": user.email,
                                "name": user.data.get('name'),
                                "avatar": user.data.get('avatar')
                            }
                        }
                    elif action == 'update_profile':
                        updates = request.get('updates', {})
                        # Update user data
                        user_data = user.data or {}
                        user_data.update(updates)
                        db.update_app_user(user.id, data=user_data)
                        return {"success": True, "message": "Profile updated"}
                    else:
                        return {"error": "Unknown action"}, 400
                """);

        assertResult(envelope(functions.post(id, "{\"action\": \"get_profile\"}"), 401), """
                {"error": "Authorization required"}""");
    }

    @Test
    void formHandlerShowsTheFormAndRejectsAnIncompleteSubmission() {
        // A complete submission stores it and mails it: mail.SendMailTest.
        String id = functions.deploy(ReferenceFunctions.FORM_HANDLER);

        AdminApi.Response form = functions.get(id, null).expect(200);
        assertThat(form.header("Content-Type")).startsWith("text/html");
        assertThat(form.body()).contains("<title>Contact Us</title>", "<h1>Contact Us</h1>",
                "<form method=\"POST\">",
                "<textarea name=\"message\" placeholder=\"Your Message\" required></textarea>",
                "<button type=\"submit\">Send Message</button>");
        assertThat(form.body()).containsPattern("<link rel=\"stylesheet\" href=\"https?://[^\"{}]+/css/form\\.css\">");

        AdminApi.Response incomplete = functions.post(id, "{\"name\": \"John\", \"email\": \"\", \"message\": \" \"}")
                .expect(200);
        assertThat(incomplete.header("Content-Type")).startsWith("text/html");
        assertThat(incomplete.body()).contains("<h1>Error</h1>", "<p>All fields are required.</p>",
                "<a href=\"?\">Go back</a>");
    }

    // ---- Best practices ----

    @Test
    void alwaysValidateInputAnswers400ForAMissingOrMalformedEmail() {
        String id = functions.deploy("""
                def main():
                    email = request.get('email', '').strip()
                    if not email:
                        return {"error": "Email is required"}, 400
                    if '@' not in email:
                        return {"error": "Invalid email format"}, 400
                    # Process email...
                """);

        assertResult(envelope(functions.get(id, null), 400), """
                {"error": "Email is required"}""");
        assertResult(envelope(functions.post(id, "{\"email\": \"john.example.com\"}"), 400), """
                {"error": "Invalid email format"}""");
        assertThat(envelope(functions.get(id, "email=john@example.com"), 200).get("result").isNull()).isTrue();
    }

    @Test
    void secureSensitiveOperationsRequireAUser() {
        String id = functions.deploy("""
                def main():
                    # Require authentication
                    user = request.user
                    if not user:
                        return {"error": "Unauthorized"}, 401
                    # Check permissions
                    if 'admin' not in user.roles:
                        return {"error": "Forbidden"}, 403
                    # Perform admin operation
                    result = perform_admin_action()
                    return {"result": result}
                """);

        assertResult(envelope(functions.get(id, null), 401), """
                {"error": "Unauthorized"}""");
    }

    // ---- helpers ----

    /**
     * Checks the envelope of docs/functions.md#responses (exactly its five fields, JSON, the status,
     * {@code success} as {@code status < 400}, a non-negative {@code execution_time}) and returns it.
     */
    private static JsonNode envelope(AdminApi.Response response, int status) {
        response.expect(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode envelope = response.json();
        assertThat(envelope.propertyNames()).containsExactly("success", "result", "output", "error",
                "execution_time");
        assertThat(envelope.get("success").isBoolean()).isTrue();
        assertThat(envelope.get("success").asBoolean()).isEqualTo(status < 400);
        assertThat(envelope.get("output").isString()).isTrue();
        assertThat(envelope.get("execution_time").isNumber()).isTrue();
        assertThat(envelope.get("execution_time").asDouble()).isGreaterThanOrEqualTo(0.0);
        return envelope;
    }

    /** The envelope's result equals the JSON text (and a returned status is not an error). */
    private static void assertResult(JsonNode envelope, String expectedJson) {
        assertThat(envelope.get("result")).isEqualTo(JSON.readTree(expectedJson));
        assertThat(envelope.get("error").isNull()).isTrue();
    }

    /** The text of the first '''...''' string of a Python source. */
    private static String tripleQuoted(String code) {
        int start = code.indexOf("'''") + 3;
        return code.substring(start, code.indexOf("'''", start));
    }
}
