package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Issue 9, "populate ignores the target's read rule": populate reads a collection only under its read rule. A
 * client that may not read the target gets the reference as stored and nothing of the target, without an error;
 * a server key, the console and a function's {@code db} read for the whole project.
 */
@IntegrationTest
class PopulateReadRulesTest {

    static final String IBAN = "DE89-SECRET-IBAN";

    @LocalServerPort
    int port;

    Functions functions;
    ClientApp app;

    /** The reproduction: a vault only role admin reads, and a public post that names one of its documents. */
    @BeforeEach
    void aVaultAndAPostPointingIntoIt() {
        functions = Functions.inNewProject(port);
        app = ClientApp.forProject(port, functions);
        app.server("POST", "/collections", Map.of("name", "vault", "permissions", Map.of("read", List.of("admin"),
                "create", List.of("admin")))).expect(201);
        app.server("POST", "/collections/documents?collection=vault", Map.of("data", Map.of("id", "invoice-1001",
                "iban", IBAN))).expect(201);
        app.call("POST", "/collections/documents?collection=posts", Map.of("data", Map.of("id", "p1",
                "x_ids", List.of("invoice-1001"), "invoice", "invoice-1001"))).expect(201);
    }

    @Test
    void aClientKeyGetsNoVaultDocumentThroughPopulate() {
        app.call("GET", "/collections/vault/documents", null).expect(401);
        AdminApi.Response answer = app.call("GET", "/collections/posts/documents?populate=x:vault", null).expect(200);
        JsonNode post = answer.json().get(0).get("data");
        assertThat(post.has("x")).isFalse();
        assertThat(post.get("x_ids").get(0).asString()).isEqualTo("invoice-1001");
        assertThat(answer.body()).doesNotContain(IBAN);
    }

    @Test
    void aReferenceInTheFieldItselfStaysTheStoredId() {
        JsonNode post = app.call("GET", "/collections/posts/documents?populate=invoice:vault", null).expect(200)
                .json().get(0).get("data");
        assertThat(post.get("invoice").asString()).isEqualTo("invoice-1001");
    }

    @Test
    void aSignedInUserWithoutTheRoleGetsNoVaultDocumentEither() {
        String member = app.signUp("member");
        AdminApi.Response answer = app.as(member, "GET", "/collections/posts/documents?populate=x:vault", null)
                .expect(200);
        assertThat(answer.json().get(0).get("data").has("x")).isFalse();
        assertThat(answer.body()).doesNotContain(IBAN);
    }

    @Test
    void aSignedInUserWithTheRoleGetsTheVaultDocumentPopulated() {
        String admin = app.signUp("admin");
        JsonNode post = app.as(admin, "GET", "/collections/posts/documents?populate=x:vault", null).expect(200)
                .json().get(0).get("data");
        assertThat(post.get("x").get(0).get("iban").asString()).isEqualTo(IBAN);
    }

    @Test
    void aServerKeyGetsTheVaultDocumentPopulated() {
        JsonNode post = app.server("GET", "/collections/posts/documents?populate=x:vault", null).expect(200).json()
                .get(0).get("data");
        assertThat(post.get("x").get(0).get("iban").asString()).isEqualTo(IBAN);
    }

    @Test
    void eachLevelOfADottedPopulateIsChecked() {
        app.call("POST", "/collections/documents?collection=comments", Map.of("data", Map.of("id", "c1",
                "post_id", "p1"))).expect(201);
        AdminApi.Response answer = app.call("GET", "/collections/comments/documents?populate=post.x:vault", null)
                .expect(200);
        JsonNode post = answer.json().get(0).get("data").get("post");
        assertThat(post.get("id").asString()).isEqualTo("p1"); // posts are public: the first level is populated
        assertThat(post.has("x")).isFalse(); // the vault is not: the second level stays as stored
        assertThat(post.get("x_ids").get(0).asString()).isEqualTo("invoice-1001");
        assertThat(answer.body()).doesNotContain(IBAN);
    }

    @Test
    void anUnreadableFirstLevelStopsTheWholePath() {
        app.server("POST", "/collections/documents?collection=vault", Map.of("data", Map.of("id", "invoice-1002",
                "post_id", "p1"))).expect(201);
        app.call("POST", "/collections/documents?collection=notes", Map.of("data", Map.of("id", "n1",
                "bill_id", "invoice-1002"))).expect(201);
        JsonNode note = app.call("GET", "/collections/notes/documents?populate=bill:vault.post", null).expect(200)
                .json().get(0).get("data");
        assertThat(note.has("bill")).isFalse();
        assertThat(note.get("bill_id").asString()).isEqualTo("invoice-1002");
    }

    @Test
    void consoleMembersPopulateEverythingInTheirProject() {
        JsonNode post = app.owner.get(AdminApi.API + "/projects/" + app.projectId
                + "/collections/posts/documents?populate=x:vault").expect(200).json().get("data").get(0)
                .get("data");
        assertThat(post.get("x").get(0).get("iban").asString()).isEqualTo(IBAN);
    }

    @Test
    void dbInAFunctionPopulatesForTheProject() {
        JsonNode page = functions.runMain("return db.query('posts', populate=['x:vault'])");
        assertThat(page.get("data").get(0).get("x").get(0).get("iban").asString()).isEqualTo(IBAN);
        JsonNode one = functions.runMain("return db.find_one('posts', id='p1', populate=['invoice:vault'])");
        assertThat(one.get("invoice").get("iban").asString()).isEqualTo(IBAN);
    }
}
