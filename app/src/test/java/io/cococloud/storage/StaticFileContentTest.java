package io.cococloud.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * A static file's bytes through the admin API (what the console previews): the caller's credentials, the
 * project's own file only, never as a page that could run on the admin API's origin.
 */
@IntegrationTest
class StaticFileContentTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D',
            'R'};

    @LocalServerPort
    int port;

    AdminApi owner;
    String projectId;
    String base;
    StaticHttp http;

    @BeforeEach
    void project() {
        owner = AdminApi.newAccount(port);
        projectId = owner.createProject();
        base = AdminApi.API + "/projects/" + projectId + "/static";
        http = new StaticHttp(port);
    }

    private StaticHttp.Answer read(AdminApi caller, String path) {
        return http.get(base + "/" + path, "Authorization", "Bearer " + caller.bearerToken());
    }

    @Test
    void aFilesBytesComeBackExactlyWithItsContentType() {
        http.upload(owner, projectId, Multipart.form().file("file", "logo.png", PNG).field("path", "img/"))
                .expect(201);

        StaticHttp.Answer answer = read(owner, "img/logo.png").expect(200);

        assertThat(answer.bytes()).isEqualTo(PNG);
        assertThat(answer.header("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void anHtmlFileIsAnAttachmentUnderASandboxSoItNeverRunsAsAPageOfTheAdminOrigin() {
        http.upload(owner, projectId, Multipart.form().file("file", "page.html", "<script>alert(1)</script>"))
                .expect(201);

        StaticHttp.Answer answer = read(owner, "page.html").expect(200);

        assertThat(answer.text()).isEqualTo("<script>alert(1)</script>");
        assertThat(answer.header("Content-Disposition")).startsWith("attachment");
        assertThat(answer.header("Content-Security-Policy")).isEqualTo("default-src 'none'; sandbox");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void viewersReadAndOtherProjectsAndStrangersGet404() {
        http.upload(owner, projectId, Multipart.form().file("file", "a.txt", "secret plan")).expect(201);
        AdminApi viewer = AdminApi.newAccount(port);
        owner.addMember(projectId, viewer, "viewer");
        AdminApi stranger = AdminApi.newAccount(port);
        String otherProject = stranger.createProject();

        assertThat(read(viewer, "a.txt").expect(200).text()).isEqualTo("secret plan");
        read(stranger, "a.txt").expect(404);
        http.get(AdminApi.API + "/projects/" + otherProject + "/static/a.txt", "Authorization",
                "Bearer " + stranger.bearerToken()).expect(404);
        http.get(base + "/a.txt").expect(401);
    }

    @Test
    void aMissingFileIs404AndAnUnsafePathIs400NamingIt() {
        assertThat(read(owner, "nothing.txt").expect(404).detail()).contains("nothing.txt");
        assertThat(read(owner, "a%3Fb.txt").expect(400).detail()).contains("'?'");
    }
}
