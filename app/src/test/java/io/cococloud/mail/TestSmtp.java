package io.cococloud.mail;

import static io.cococloud.support.AdminApi.API;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;

import io.cococloud.support.AdminApi;

/**
 * A real SMTP server (GreenMail) on a free port of its own, which can be stopped and started
 * again on the same port to play an SMTP outage; projects are pointed at it through their mail
 * settings, as an admin would do it, so the shared server-wide default stays untouched.
 */
final class TestSmtp implements AutoCloseable {

    private final int port;
    private GreenMail server;

    private TestSmtp(int port) {
        this.port = port;
    }

    /** A started server. */
    static TestSmtp start() {
        TestSmtp smtp = new TestSmtp(freePort());
        smtp.up();
        return smtp;
    }

    /** A port that nothing listens on (until {@link #up()}). */
    static TestSmtp down() {
        return new TestSmtp(freePort());
    }

    int port() {
        return port;
    }

    void up() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        server.start();
    }

    /** A started server that knows one SMTP login. */
    static TestSmtp withLogin(String login, String password) {
        TestSmtp smtp = new TestSmtp(freePort());
        smtp.server = new GreenMail(new ServerSetup(smtp.port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.test", login, password));
        smtp.server.start();
        return smtp;
    }

    void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Points the project's mail at this server, as its owner would. */
    void useFor(AdminApi owner, String projectId) {
        owner.put(API + "/projects/" + projectId + "/mail/settings", Map.of("host", "127.0.0.1", "port", port,
                "security", "none", "from_address", "Test App <app@example.test>")).expect(200);
    }

    List<MimeMessage> received() {
        return server == null ? List.of() : Arrays.asList(server.getReceivedMessages());
    }

    /** Messages received for one address (each recipient's copy counts once). */
    List<MimeMessage> receivedBy(String address) {
        return received().stream().filter(m -> recipients(m).stream().anyMatch(address::equalsIgnoreCase)).toList();
    }

    /** Waits until {@code count} messages for the address arrived, and returns them. */
    List<MimeMessage> await(String address, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> receivedBy(address).size() >= count);
        return receivedBy(address);
    }

    /** The decoded content of the message's first part of a type, such as text/html or text/plain. */
    static String content(jakarta.mail.Part part, String type) {
        try {
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
            if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    String found = content(multipart.getBodyPart(i), type);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GreenMail delivers one copy per recipient mailbox; its envelope recipient is in the headers we set. */
    private static List<String> recipients(MimeMessage message) {
        try {
            List<String> all = new java.util.ArrayList<>();
            for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
                if (message.getRecipients(type) != null) {
                    Arrays.stream(message.getRecipients(type))
                            .map(a -> ((jakarta.mail.internet.InternetAddress) a).getAddress()).forEach(all::add);
                }
            }
            return all;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
