package io.cococloud.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cococloud.support.CocobaseSdk;
import io.cococloud.support.HeadlessChromium;
import io.cococloud.support.IntegrationTest;

/**
 * A web app served from an origin of its own (a second HTTP server on another port) uses the official SDK's
 * browser bundle in Chromium: signs up, writes and lists documents across origins, as CocoBase web apps do.
 */
@IntegrationTest
class ClientCorsInBrowserTest {

    private static HeadlessChromium browser;
    private static HttpServer appOrigin;
    private static byte[] sdkBundle;

    @LocalServerPort
    int port;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start();
        sdkBundle = Files.readAllBytes(CocobaseSdk.browserBundle());
        appOrigin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        appOrigin.start();
    }

    @AfterAll
    static void stop() {
        if (appOrigin != null) {
            appOrigin.stop(0);
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPageOnAnotherOriginSignsUpAndListsDocumentsWithTheBrowserSdk() {
        ClientApp app = ClientApp.newProject(port);
        String page = "/app-" + UUID.randomUUID() + ".html";
        serve("/cocobase.min.js", "text/javascript", sdkBundle);
        serve(page, "text/html", ("""
                <!doctype html><title>running</title>
                <script src="/cocobase.min.js"></script>
                <script>
                (async () => {
                  try {
                    const db = new CocobaseSDK.Cocobase({ baseURL: "http://localhost:%d", apiKey: "%s" });
                    await db.auth.register({ email: "web-%s@example.test", password: "password-1" });
                    await db.createDocument("notes", { title: "written from the browser" });
                    const docs = await db.listDocuments("notes");
                    document.title = "listed " + docs.length + ": " + docs[0].data.title;
                  } catch (e) {
                    document.title = "failed: " + e;
                  }
                })();
                </script>""").formatted(port, app.clientKey, UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));

        // The page is on 127.0.0.1:<other port>, the API on localhost:<port>: two origins.
        browser.driver().get("http://127.0.0.1:" + appOrigin.getAddress().getPort() + page);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
                .until(driver -> !driver.getTitle().equals("running"));

        assertThat(browser.driver().getTitle()).isEqualTo("listed 1: written from the browser");
    }

    private static void serve(String path, String type, byte[] body) {
        appOrigin.createContext(path, (HttpExchange exchange) -> {
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the browser went away
            }
        });
    }
}
