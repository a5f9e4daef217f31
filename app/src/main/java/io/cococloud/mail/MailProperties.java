package io.cococloud.mail;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server-wide SMTP server (used by every project without mail settings of its own) and the
 * outbox sender's pace ({@code coco.mail.*}).
 *
 * @param host            the default SMTP server; empty: none, and mail of projects without settings
 *                        of their own waits (with last_error saying so) until one is configured
 * @param port            its port
 * @param security        none, starttls or tls (SMTPS)
 * @param username        empty: no SMTP AUTH
 * @param password        with username
 * @param from            the From address of mail sent through the default server
 * @param senderInterval  how often the sender looks for due mail (it is also woken by every new mail)
 * @param senderThreads   mails sent at once by this node
 * @param batchSize       rows one claim takes
 * @param retryBackoff    the wait after the first failed attempt; it doubles with each further one
 * @param maxBackoff      the longest wait between two attempts
 * @param maxAttempts     attempts after which a mail is given up (status failed)
 * @param sendingLease    a row claimed for sending this long ago, whose sender neither sent it nor
 *                        gave it back (the node died), is taken over by another sender
 * @param connectTimeout  SMTP connection timeout
 * @param ioTimeout       SMTP read and write timeout; one send must end well within the lease
 * @param retention       sent and failed mail is deleted from the outbox after this long
 * @param allowedInternalHosts hosts or addresses on the server's own network (loopback, private, link-local) that
 *                        projects' SMTP settings may name anyway; none by default
 */
@ConfigurationProperties("coco.mail")
public record MailProperties(
        @DefaultValue("") String host,
        @DefaultValue("25") int port,
        @DefaultValue("none") String security,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("CocoCloud <no-reply@localhost>") String from,
        @DefaultValue("1s") Duration senderInterval,
        @DefaultValue("2") int senderThreads,
        @DefaultValue("10") int batchSize,
        @DefaultValue("10s") Duration retryBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("30") int maxAttempts,
        @DefaultValue("2m") Duration sendingLease,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("30s") Duration ioTimeout,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("") java.util.List<String> allowedInternalHosts) {

    /** The default server as a project's settings would name it; null when there is none. */
    SmtpServer defaultServer() {
        if (host.isBlank()) {
            return null;
        }
        return new SmtpServer(host, port, security, username.isBlank() ? null : username,
                password.isEmpty() ? null : password, from);
    }

    /** The wait before attempt {@code attempts + 1}: retryBackoff doubled per failed attempt, capped. */
    Duration backoffAfter(int attempts) {
        long base = retryBackoff.toMillis();
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long wait = base > maxBackoff.toMillis() >> doublings ? maxBackoff.toMillis() : base << doublings;
        return Duration.ofMillis(Math.min(wait, maxBackoff.toMillis()));
    }
}
