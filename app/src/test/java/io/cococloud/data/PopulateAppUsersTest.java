package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.cococloud.support.AdminApi;
import io.cococloud.support.Functions;
import io.cococloud.support.IntegrationTest;

/**
 * Issue 9, "populate=who:appuser returns another user's email and private data": a client sees its own record
 * in full, another user only when the project opens its users, and then only the public fields; a server key, the
 * console and {@code db} see full records (never a password hash or token).
 */
@IntegrationTest
class PopulateAppUsersTest {

    static final String PHONE = "+33 6 12 34 56 78";
    static final String SSN = "1-85-05-78-006-084-36";

    @LocalServerPort
    int port;

    Functions functions;
    ClientApp app;
    String victimEmail;
    String victim;
    String attackerEmail;
    String attacker;
    String attackerToken;

    /** The reproduction: anyone signs up with the client key and writes a note naming another user. */
    @BeforeEach
    void aVictimAndANoteAboutThem() {
        functions = Functions.inNewProject(port);
        app = ClientApp.forProject(port, functions);
        victimEmail = email();
        victim = app.signUpWith(victimEmail, Map.of("name", "Vic", "phone", PHONE, "ssn", SSN)).get("user")
                .get("id").asString();
        attackerEmail = email();
        JsonNode signedUp = app.signUpWith(attackerEmail, Map.of("name", "Max", "phone", "+1 555"));
        attacker = signedUp.get("user").get("id").asString();
        attackerToken = signedUp.get("access_token").asString();
        app.as(attackerToken, "POST", "/collections/documents?collection=notes", Map.of("data", Map.of("id", "n1",
                "who_id", victim, "me_id", attacker))).expect(201);
    }

    @Test
    void aClientGetsNoOtherUsersEmailPhoneOrPrivateData() {
        for (String token : new String[] {attackerToken, null}) {
            AdminApi.Response answer = app.send("GET", "/collections/notes/documents?populate=who:appuser", null,
                    app.clientKey, token).expect(200);
            JsonNode note = answer.json().get(0).get("data");
            assertThat(note.has("who")).isFalse();
            assertThat(note.get("who_id").asString()).isEqualTo(victim);
            assertThat(answer.body()).doesNotContain(victimEmail, PHONE, SSN);
        }
    }

    @Test
    void theCallersOwnRecordIsPopulatedAsTheUserEndpointShowsIt() {
        JsonNode me = app.as(attackerToken, "GET", "/collections/notes/documents?populate=me:appuser", null)
                .expect(200).json().get(0).get("data").get("me");
        assertThat(me.get("id").asString()).isEqualTo(attacker);
        assertThat(me.get("email").asString()).isEqualTo(attackerEmail);
        assertThat(me.get("phone").asString()).isEqualTo("+1 555");
        assertThat(me.has("password_hash")).isFalse();
    }

    @Test
    void openedToSignedInUsersAnotherUserShowsOnlyItsIdAndPublicFields() {
        app.userSettings(Map.of("readable_by", "signed_in", "public_fields", List.of("name")));
        AdminApi.Response answer = app.as(attackerToken, "GET",
                "/collections/notes/documents?populate=who:appuser", null).expect(200);
        JsonNode who = answer.json().get(0).get("data").get("who");
        assertThat(who.propertyNames()).containsExactlyInAnyOrder("id", "name");
        assertThat(who.get("name").asString()).isEqualTo("Vic");
        assertThat(answer.body()).doesNotContain(victimEmail, PHONE, SSN);
        JsonNode anonymous = app.call("GET", "/collections/notes/documents?populate=who:appuser", null).expect(200)
                .json().get(0).get("data");
        assertThat(anonymous.has("who")).isFalse();
    }

    @Test
    void openedToAnyoneEvenABareClientKeySeesThePublicFields() {
        app.userSettings(Map.of("readable_by", "anyone", "public_fields", List.of("name", "email")));
        JsonNode who = app.call("GET", "/collections/notes/documents?populate=who:appuser", null).expect(200)
                .json().get(0).get("data").get("who");
        assertThat(who.propertyNames()).containsExactlyInAnyOrder("id", "name", "email");
        assertThat(who.get("email").asString()).isEqualTo(victimEmail);
    }

    @Test
    void inAListOfUsersOnlyWhatTheCallerMaySeeIsExpandedAndTheRestStaysIds() {
        app.as(attackerToken, "POST", "/collections/documents?collection=teams", Map.of("data", Map.of("id", "t1",
                "crew_ids", List.of(attacker, victim), "rival_ids", List.of(victim)))).expect(201);
        AdminApi.Response answer = app.as(attackerToken, "GET",
                "/collections/teams/documents?populate=crew:appuser&populate=rival:appuser", null).expect(200);
        JsonNode team = answer.json().get(0).get("data");
        assertThat(team.get("crew").get(0).get("email").asString()).isEqualTo(attackerEmail);
        assertThat(team.get("crew").get(1).asString()).isEqualTo(victim);
        assertThat(team.has("rival")).isFalse(); // nothing the caller may see: left as stored
        assertThat(answer.body()).doesNotContain(victimEmail, PHONE, SSN);
    }

    @Test
    void anAppUserDeeperInADottedPopulateIsCheckedToo() {
        app.call("POST", "/collections/documents?collection=comments", Map.of("data", Map.of("id", "c1",
                "note_id", "n1"))).expect(201);
        AdminApi.Response answer = app.as(attackerToken, "GET",
                "/collections/comments/documents?populate=note.who:appuser", null).expect(200);
        JsonNode note = answer.json().get(0).get("data").get("note");
        assertThat(note.get("id").asString()).isEqualTo("n1");
        assertThat(note.has("who")).isFalse();
        assertThat(note.get("who_id").asString()).isEqualTo(victim);
        assertThat(answer.body()).doesNotContain(victimEmail, PHONE, SSN);
    }

    @Test
    void openedADisabledUserIsNotPopulatedForAClient() {
        app.userSettings(Map.of("readable_by", "signed_in", "public_fields", List.of("name")));
        app.owner.patch(AdminApi.API + "/projects/" + app.projectId + "/users/" + victim, Map.of("disabled", true))
                .expect(200);
        AdminApi.Response answer = app.as(attackerToken, "GET",
                "/collections/notes/documents?populate=who:appuser", null).expect(200);
        assertThat(answer.json().get(0).get("data").get("who").isNull()).isTrue(); // as for an unknown id
        assertThat(answer.body()).doesNotContain("Vic");
    }

    @Test
    void aServerKeyPopulatesTheFullRecordWithoutSecrets() {
        JsonNode who = app.server("GET", "/collections/notes/documents?populate=who:appuser", null).expect(200)
                .json().get(0).get("data").get("who");
        assertThat(who.get("email").asString()).isEqualTo(victimEmail);
        assertThat(who.get("ssn").asString()).isEqualTo(SSN);
        assertThat(who.propertyNames()).doesNotContain("password_hash", "password", "token_generation");
    }

    @Test
    void theConsoleAndDbPopulateTheFullRecord() {
        JsonNode byConsole = app.owner.get(AdminApi.API + "/projects/" + app.projectId
                + "/collections/notes/documents?populate=who:appuser").expect(200).json().get("data").get(0)
                .get("data").get("who");
        assertThat(byConsole.get("phone").asString()).isEqualTo(PHONE);
        JsonNode byDb = functions.runMain("return db.find_one('notes', id='n1', populate=['who:appuser'])")
                .get("who");
        assertThat(byDb.get("email").asString()).isEqualTo(victimEmail);
    }

    @Test
    void anotherProjectsOpenSettingNeverApplies() {
        ClientApp other = ClientApp.newProject(port);
        other.userSettings(Map.of("readable_by", "anyone", "public_fields", List.of("name", "email", "phone")));
        AdminApi.Response answer = app.as(attackerToken, "GET",
                "/collections/notes/documents?populate=who:appuser", null).expect(200);
        assertThat(answer.json().get(0).get("data").has("who")).isFalse();
        assertThat(answer.body()).doesNotContain(victimEmail, PHONE);
    }

    private static String email() {
        return "app-" + UUID.randomUUID() + "@example.test";
    }
}
