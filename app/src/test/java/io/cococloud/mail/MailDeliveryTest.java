package io.cococloud.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.cococloud.support.AdminApi;
import io.cococloud.support.IntegrationTest;

/**
 * The outbox against a real SMTP server: an outage loses nothing, a dead sender's mail is sent
 * by the next one, and senders racing for the same rows never send one twice. The shared
 * sender bean is stopped during these tests; senders made here with short retry waits stand
 * in for it (and, in the restart test, for the node that comes back).
 */
@IntegrationTest
class MailDeliveryTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MailSender sharedSender;

    @Autowired
    SmtpServers servers;

    @Autowired
    MailOutbox outbox;

    AdminApi owner;
    UUID project;

    @BeforeEach
    void aProjectAndNoBackgroundSender() {
        sharedSender.stop();
        owner = AdminApi.newAccount(port);
        project = UUID.fromString(owner.createProject());
    }

    @AfterEach
    void backgroundSenderAgain() {
        jdbc.update("DELETE FROM mail_outbox WHERE project_id = ?", project); // nothing left to retry in the background
        sharedSender.start();
    }

    /**
     * A sender as a fresh node would make it, with retries 50 ms apart instead of seconds, confined
     * to this test's project (the database is shared with other tests' mail).
     */
    private MailSender newSender() {
        return newSender(30);
    }

    private MailSender newSender(int maxAttempts) {
        MailProperties quick = new MailProperties("localhost", 25, "none", "", "", "x@localhost",
                Duration.ofSeconds(1), 1, 10, Duration.ofMillis(50), Duration.ofMillis(50), maxAttempts,
                Duration.ofMinutes(2), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofDays(30), List.of());
        return new MailSender(JdbcClient.create(jdbc), servers, quick, project);
    }

    private UUID queue(String to, String subject) {
        return outbox.enqueue(project, new OutgoingMail(List.of(to), null, null, null, subject, "<p>" + subject
                + "</p>", null, null));
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.queryForMap("SELECT status, attempts, last_error, sent_at FROM mail_outbox WHERE project_id = ?"
                + " AND id = ?", project, id);
    }

    /**
     * Why a count of received mail needs no waiting: these senders run only inside sendDue(), which returns
     * after the SMTP server has stored what it accepted (GreenMail stores a mail before it answers DATA), and
     * the background sender is stopped. Once the senders are done, a second copy could not still be on its way.
     */
    private static final String NOTHING_IN_FLIGHT = "every copy that was sent (senders deliver synchronously)";

    /** Waits until the mail's retry is due by the database's clock: the sender's own test of "due". */
    private void awaitDue(UUID id) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> jdbc.queryForObject("SELECT next_attempt_at <= now() FROM mail_outbox WHERE project_id = ?"
                        + " AND id = ?", Boolean.class, project, id));
    }

    private static String address() {
        return "to-" + UUID.randomUUID() + "@example.test";
    }

    @Test
    void aMailWaitsOutAnSmtpOutageAndIsDeliveredOnceWhenTheServerIsBack() throws Exception {
        try (TestSmtp smtp = TestSmtp.down()) {
            smtp.useFor(owner, project.toString());
            String to = address();
            UUID id = queue(to, "Outage");
            MailSender sender = newSender();

            for (int attempt = 1; attempt <= 3; attempt++) {
                awaitDue(id); // past the backoff
                assertThat(sender.sendDue()).isEqualTo(1);
                Map<String, Object> row = row(id);
                assertThat(row.get("status")).isEqualTo("queued");
                assertThat(row.get("attempts")).isEqualTo(attempt);
                assertThat((String) row.get("last_error")).contains("127.0.0.1:" + smtp.port());
            }

            smtp.up();
            awaitDue(id);
            assertThat(sender.sendDue()).isEqualTo(1);
            assertThat(sender.sendDue()).isZero();
            List<MimeMessage> got = smtp.await(to, 1);
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().getSubject()).isEqualTo("Outage");
            assertThat(row(id).get("status")).isEqualTo("sent");
            assertThat(row(id).get("attempts")).isEqualTo(4);
            assertThat(row(id).get("sent_at")).isNotNull();
            assertThat(smtp.receivedBy(to)).as(NOTHING_IN_FLIGHT).hasSize(1);
        }
    }

    @Test
    void aMailLeftSendingByADeadNodeIsDeliveredOnceByTheNextSender() throws Exception {
        try (TestSmtp smtp = TestSmtp.down()) {
            smtp.useFor(owner, project.toString());
            String to = address();
            UUID id = queue(to, "Across a restart");
            newSender().sendDue(); // a failed attempt while SMTP is down
            // the node then dies mid-send: its claim (attempt 2) is left as it was, its lease run out
            jdbc.update("UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1,"
                    + " next_attempt_at = now() - interval '1 second' WHERE project_id = ? AND id = ?", project, id);
            smtp.up();

            MailSender restarted = newSender();
            assertThat(restarted.sendDue()).isEqualTo(1);

            assertThat(smtp.await(to, 1)).hasSize(1);
            Map<String, Object> row = row(id);
            assertThat(row.get("status")).isEqualTo("sent");
            assertThat(row.get("attempts")).isEqualTo(3);
            assertThat((String) row.get("last_error")).contains("attempt 2 was cut off");
            assertThat(restarted.sendDue()).isZero();
            assertThat(smtp.receivedBy(to)).as(NOTHING_IN_FLIGHT).hasSize(1);
        }
    }

    @Test
    void aRowStillWithinItsLeaseIsLeftToTheSenderThatClaimedIt() {
        try (TestSmtp smtp = TestSmtp.start()) {
            smtp.useFor(owner, project.toString());
            UUID id = queue(address(), "Claimed elsewhere");
            jdbc.update("UPDATE mail_outbox SET status = 'sending', attempts = 1, next_attempt_at = now() + interval"
                    + " '2 minutes' WHERE project_id = ? AND id = ?", project, id);

            assertThat(newSender().sendDue()).isZero();
            assertThat(row(id).get("status")).isEqualTo("sending");
        }
    }

    @Test
    void twoSendersRacingForTheSameRowsSendEachMailOnce() throws Exception {
        try (TestSmtp smtp = TestSmtp.start()) {
            smtp.useFor(owner, project.toString());
            List<String> recipients = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String to = address();
                recipients.add(to);
                queue(to, "Race " + i);
            }
            MailSender one = newSender();
            MailSender two = newSender();
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> done = threads.invokeAll(List.of(drainAll(one, together),
                        drainAll(two, together)));
                int claimed = done.get(0).get() + done.get(1).get();
                assertThat(claimed).isEqualTo(40);
                assertThat(one.sentCount()).isPositive();
                assertThat(two.sentCount()).isPositive();
            } finally {
                threads.shutdownNow();
            }
            for (String to : recipients) {
                assertThat(smtp.await(to, 1)).as(to).hasSize(1);
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM mail_outbox WHERE project_id = ? AND status = 'sent'"
                    + " AND attempts = 1", Long.class, project)).isEqualTo(40);
            assertThat(smtp.received()).as(NOTHING_IN_FLIGHT).hasSize(40);
        }
    }

    private static Callable<Integer> drainAll(MailSender sender, CyclicBarrier together) {
        return () -> {
            together.await(); // both claim their first batch at the same moment
            int total = 0;
            for (int claimed = sender.sendDue(); claimed > 0; claimed = sender.sendDue()) {
                total += claimed;
            }
            return total;
        };
    }

    @Test
    void aMailIsFailedAfterItsLastAttempt() {
        try (TestSmtp smtp = TestSmtp.down()) {
            smtp.useFor(owner, project.toString());
            UUID id = queue(address(), "Given up");
            newSender(1).sendDue();
            assertThat(row(id).get("status")).isEqualTo("failed");
            assertThat(row(id).get("attempts")).isEqualTo(1);
        }
    }

    @Test
    void eachCopyOfAMailCarriesTheMessageIdOfItsOutboxRow() throws Exception {
        try (TestSmtp smtp = TestSmtp.start()) {
            smtp.useFor(owner, project.toString());
            String to = address();
            UUID id = queue(to, "Identified");
            newSender().sendDue();
            MimeMessage got = smtp.await(to, 1).getFirst();
            assertThat(got.getMessageID()).isEqualTo("<" + id + "@example.test>");
            assertThat(got.getFrom()[0].toString()).isEqualTo("Test App <app@example.test>");
        }
    }
}
