package io.cococloud.mail;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Delivers the outbox. Each round claims due rows with one statement (FOR UPDATE SKIP LOCKED, so
 * any number of senders on any number of nodes never claim the same row), sends them one by one
 * through the project's SMTP server and marks each sent right after the server accepted it.
 * A failure puts the row back with exponential backoff, and after {@code maxAttempts} gives up.
 *
 * <p>Delivery is at least once, and in practice once:
 * <ul>
 * <li>A claim stamps the row {@code sending} with a lease ({@code next_attempt_at = now() + lease})
 * and counts the attempt. The attempt count is the claim's fencing token: every later write of
 * this sender names it, so a sender whose row was taken over cannot overwrite the new owner.</li>
 * <li>A row whose lease ran out while {@code sending} belongs to a sender that died (a node crash,
 * a kill -9). Every claim also takes such rows, so after a restart they are sent again.</li>
 * <li>On a normal shutdown the sender finishes the mail in hand and marks it, and gives back the
 * rows it claimed but had not started: no duplicates.</li>
 * <li>Only a node dying between the SMTP server's "250 OK" and the row's update sends a mail twice.
 * No protocol can rule that out with SMTP; the copies then carry the same Message-ID (derived
 * from the outbox id) and Date, so mail servers and clients that drop duplicates drop it.</li>
 * </ul>
 */
@Component
class MailSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MailSender.class);
    private static final int MAX_ERROR_CHARS = 1000;

    private final JdbcClient db;
    private final SmtpServers servers;
    private final MailProperties properties;
    private final UUID onlyProject;
    private final AtomicInteger sent = new AtomicInteger();
    private volatile ScheduledThreadPoolExecutor executor;
    private volatile boolean running;
    private Semaphore drains;

    @org.springframework.beans.factory.annotation.Autowired
    MailSender(JdbcClient db, SmtpServers servers, MailProperties properties) {
        this(db, servers, properties, null);
    }

    /**
     * A sender of one project's mail only: for tests, which share one database with other tests'
     * projects and must neither send nor disturb their mail.
     */
    MailSender(JdbcClient db, SmtpServers servers, MailProperties properties, UUID onlyProject) {
        this.db = db;
        this.servers = servers;
        this.properties = properties;
        this.onlyProject = onlyProject;
    }

    /** A claimed row: what to send, and the attempt number that proves the claim is still ours. */
    record Claimed(UUID projectId, UUID id, List<String> to, List<String> cc, List<String> bcc, String replyTo,
            String subject, String html, String text, int attempt, Instant createdAt, long claimedAtNanos) {}

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        int threads = Math.max(1, properties.senderThreads());
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, Thread.ofPlatform()
                .name("mail-sender-", 1).daemon(true).factory());
        pool.setRemoveOnCancelPolicy(true);
        drains = new Semaphore(threads);
        executor = pool;
        running = true;
        pool.scheduleWithFixedDelay(this::drain, 0, properties.senderInterval().toMillis(), TimeUnit.MILLISECONDS);
        pool.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
    }

    /** Finishes the mail in hand (its SMTP timeouts bound the wait) and gives back the rest of the batch. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ScheduledThreadPoolExecutor pool = executor;
        pool.shutdown();
        try {
            long wait = properties.connectTimeout().plus(properties.ioTimeout()).plusSeconds(5).toMillis();
            if (!pool.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                log.warn("The mail sender did not finish its mail in hand within {} ms; it is sent again later", wait);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A new mail is committed: send it now rather than at the next round. */
    void wake() {
        ScheduledThreadPoolExecutor pool = executor;
        if (running && pool != null) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // stopping: the next start's first round takes it
            }
        }
    }

    /** Mails sent by this instance (for tests and logs). */
    int sentCount() {
        return sent.get();
    }

    /** Rounds until nothing is due; at most senderThreads drains run at once. */
    private void drain() {
        Semaphore permits = drains;
        if (permits == null || !permits.tryAcquire()) {
            return;
        }
        try {
            while (running && sendDue() > 0) {
                // claim the next batch
            }
        } catch (RuntimeException e) {
            // the database may be down: the next round tries again; never let the schedule die
            log.warn("Mail sender round failed: {}", e.toString());
        } finally {
            permits.release();
        }
    }

    /**
     * One round: claims up to batchSize due rows and sends them.
     *
     * @return how many rows were claimed
     */
    int sendDue() {
        Deque<Claimed> batch = new ArrayDeque<>(claim(properties.batchSize()));
        int claimed = batch.size();
        Map<SmtpServer, String> unreachable = new HashMap<>();
        while (!batch.isEmpty()) {
            Claimed mail = batch.poll();
            if (stopping()) {
                release(mail);
                batch.forEach(this::release);
                break;
            }
            if (leaseHalfGone(mail) && !renewLease(mail)) {
                continue; // another sender took it over
            }
            deliver(mail, unreachable);
        }
        return claimed;
    }

    private boolean stopping() {
        return executor != null && executor.isShutdown();
    }

    List<Claimed> claim(int limit) {
        long now = System.nanoTime();
        return db.sql("""
                UPDATE mail_outbox o
                SET status = 'sending', attempts = o.attempts + 1,
                    next_attempt_at = now() + make_interval(secs => ?),
                    last_error = CASE WHEN o.status = 'sending'
                        THEN 'attempt ' || o.attempts || ' was cut off (its sender stopped mid-send); sent again'
                        ELSE o.last_error END
                FROM (SELECT project_id, id FROM mail_outbox
                      WHERE status IN ('queued', 'sending') AND next_attempt_at <= now()
                        AND (?::uuid IS NULL OR project_id = ?)
                      ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due
                WHERE o.project_id = due.project_id AND o.id = due.id
                RETURNING o.project_id, o.id, o.to_addresses, o.cc_addresses, o.bcc_addresses, o.reply_to, o.subject,
                          o.html, o.text, o.attempts, o.created_at""")
                .params(seconds(properties.sendingLease()), onlyProject, onlyProject, limit)
                .query((rs, row) -> claimed(rs, now)).list();
    }

    private void deliver(Claimed mail, Map<SmtpServer, String> unreachable) {
        SmtpServer server;
        try {
            server = servers.forProject(mail.projectId());
        } catch (SmtpServers.MisconfiguredException e) {
            failed(mail, e.getMessage(), false);
            return;
        }
        String down = unreachable.get(server);
        if (down != null) {
            // one unreachable server must not hold up the rest of the batch for a timeout per mail
            failed(mail, down, false);
            return;
        }
        try {
            JavaMailSenderImpl transport = servers.transport(server);
            transport.send(message(transport.getSession(), server, mail));
        } catch (RuntimeException | MessagingException e) {
            String error = server + ": " + describe(e);
            if (connectionFailed(e)) {
                unreachable.put(server, error);
            }
            failed(mail, error, permanent(e));
            return;
        }
        // marked at once: the window in which a crash means a second copy is this one statement
        int marked = db.sql("""
                UPDATE mail_outbox SET status = 'sent', sent_at = now()
                WHERE project_id = ? AND id = ? AND status = 'sending' AND attempts = ?""")
                .params(mail.projectId(), mail.id(), mail.attempt()).update();
        sent.incrementAndGet();
        if (marked == 0) {
            log.warn("Mail {} of project {} was sent, but another sender had taken it over (its lease ran out)",
                    mail.id(), mail.projectId());
        }
    }

    private void failed(Claimed mail, String error, boolean permanent) {
        boolean givenUp = permanent || mail.attempt() >= properties.maxAttempts();
        String reason = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
        db.sql("""
                UPDATE mail_outbox SET status = ?, next_attempt_at = now() + make_interval(secs => ?), last_error = ?
                WHERE project_id = ? AND id = ? AND status = 'sending' AND attempts = ?""")
                .params(givenUp ? "failed" : "queued", seconds(properties.backoffAfter(mail.attempt())), reason,
                        mail.projectId(), mail.id(), mail.attempt())
                .update();
        if (givenUp) {
            log.warn("Mail {} of project {} given up after attempt {}: {}", mail.id(), mail.projectId(),
                    mail.attempt(), reason);
        } else {
            // the outbox keeps last_error; the log says it once per mail at INFO, not once per retry
            log.atLevel(mail.attempt() == 1 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
                    .log("Mail {} of project {}: attempt {} failed, retried later: {}", mail.id(), mail.projectId(),
                            mail.attempt(), reason);
        }
    }

    /** Gives an unstarted claim back as if it had not been made. */
    private void release(Claimed mail) {
        db.sql("""
                UPDATE mail_outbox SET status = 'queued', attempts = attempts - 1, next_attempt_at = now()
                WHERE project_id = ? AND id = ? AND status = 'sending' AND attempts = ?""")
                .params(mail.projectId(), mail.id(), mail.attempt()).update();
    }

    private boolean leaseHalfGone(Claimed mail) {
        return System.nanoTime() - mail.claimedAtNanos() > properties.sendingLease().toNanos() / 2;
    }

    private boolean renewLease(Claimed mail) {
        return db.sql("""
                UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => ?)
                WHERE project_id = ? AND id = ? AND status = 'sending' AND attempts = ?""")
                .params(seconds(properties.sendingLease()), mail.projectId(), mail.id(), mail.attempt()).update() == 1;
    }

    private void prune() {
        try {
            int deleted = db.sql("""
                    DELETE FROM mail_outbox WHERE status IN ('sent', 'failed')
                      AND created_at < now() - make_interval(secs => ?)""").params(seconds(properties.retention()))
                    .update();
            if (deleted > 0) {
                log.info("Deleted {} delivered or failed mails older than {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            log.warn("Pruning the mail outbox failed: {}", e.toString());
        }
    }

    static MimeMessage message(Session session, SmtpServer server, Claimed mail) throws MessagingException {
        String from = MailAddresses.parse("the From address", server.from());
        String domain = from.replaceAll("(?s).*@([^>\\s]+)>?\\s*$", "$1");
        MimeMessage message = new OutboxMessage(session, "<" + mail.id() + "@" + domain + ">");
        message.setFrom(address(from));
        message.setRecipients(Message.RecipientType.TO, addresses(mail.to()));
        if (!mail.cc().isEmpty()) {
            message.setRecipients(Message.RecipientType.CC, addresses(mail.cc()));
        }
        if (!mail.bcc().isEmpty()) {
            message.setRecipients(Message.RecipientType.BCC, addresses(mail.bcc()));
        }
        if (mail.replyTo() != null) {
            message.setReplyTo(addresses(List.of(InternetAddress.parse(mail.replyTo(), true)).stream()
                    .map(InternetAddress::toUnicodeString).toList()));
        }
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(Date.from(mail.createdAt()));
        if (mail.html() != null && mail.text() != null) {
            // text first: clients show the last alternative they can
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", text, html));
        } else if (mail.html() != null) {
            message.setText(mail.html(), "UTF-8", "html");
        } else {
            message.setText(mail.text(), "UTF-8");
        }
        return message;
    }

    private static InternetAddress[] addresses(List<String> addresses) throws MessagingException {
        InternetAddress[] all = new InternetAddress[addresses.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = address(addresses.get(i));
        }
        return all;
    }

    /** Parsed again from the stored form, so a display name outside ASCII is encoded (RFC 2047). */
    private static InternetAddress address(String stored) throws MessagingException {
        InternetAddress parsed = new InternetAddress(stored, true);
        try {
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message whose Message-ID is fixed by its outbox row, so every copy of one mail has the same. */
    private static final class OutboxMessage extends MimeMessage {
        private final String messageId;

        OutboxMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    /** Every exception inside a send failure: causes, per-message failures, chained messaging ones. */
    private static List<Throwable> chain(Throwable error) {
        List<Throwable> all = new ArrayList<>();
        Deque<Throwable> todo = new ArrayDeque<>(List.of(error));
        while (!todo.isEmpty() && all.size() < 50) {
            Throwable t = todo.poll();
            if (all.contains(t)) {
                continue;
            }
            all.add(t);
            List<Throwable> next = new ArrayList<>();
            next.add(t.getCause());
            if (t instanceof MailSendException send) {
                next.addAll(List.of(send.getMessageExceptions()));
            }
            if (t instanceof MessagingException messaging) {
                next.add(messaging.getNextException());
            }
            next.stream().filter(java.util.Objects::nonNull).forEach(todo::add);
        }
        return all;
    }

    /** Retrying cannot help: the message cannot be built, or the server refused it or a recipient for good. */
    static boolean permanent(Throwable error) {
        for (Throwable t : chain(error)) {
            if (t instanceof MailParseException || t instanceof MailPreparationException) {
                return true;
            }
            if (t instanceof SMTPAddressFailedException address && address.getReturnCode() >= 500) {
                return true;
            }
            if (t instanceof SMTPSendFailedException send && send.getReturnCode() >= 500
                    && send.getReturnCode() != 530 && send.getReturnCode() != 535) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionFailed(Throwable error) {
        return chain(error).stream().anyMatch(t -> t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException
                || t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).contains("connect"));
    }

    /** The most specific message of a failure, on one line. */
    private static String describe(Throwable error) {
        List<Throwable> all = chain(error);
        Throwable deepest = all.getLast();
        for (Throwable t : all) {
            if (t instanceof SMTPAddressFailedException || t instanceof SMTPSendFailedException) {
                deepest = t;
                break;
            }
        }
        String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    private Claimed claimed(ResultSet rs, long claimedAt) throws SQLException {
        return new Claimed(rs.getObject("project_id", UUID.class), rs.getObject("id", UUID.class),
                MailOutbox.strings(rs.getArray("to_addresses")), MailOutbox.strings(rs.getArray("cc_addresses")),
                MailOutbox.strings(rs.getArray("bcc_addresses")), rs.getString("reply_to"), rs.getString("subject"),
                rs.getString("html"), rs.getString("text"), rs.getInt("attempts"),
                rs.getTimestamp("created_at").toInstant(), claimedAt);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
