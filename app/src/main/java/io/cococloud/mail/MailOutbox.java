package io.cococloud.mail;

import static io.cococloud.jdbc.Timestamps.instant;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox: every mail is a row before any SMTP server sees it, written in the caller's
 * transaction when there is one (so a rolled-back sign-up sends nothing), and the sender is
 * woken once the row is committed, so delivery does not wait for its next round.
 */
@Service
class MailOutbox {

    static final List<String> STATUSES = List.of("queued", "sending", "sent", "failed");

    /** The columns of an {@link Entry}: no bodies. */
    private static final String ENTRY_COLUMNS = """
            id, to_addresses, cc_addresses, bcc_addresses, subject, template_id, status, attempts, last_error,
            next_attempt_at, created_at, sent_at""";

    private final JdbcClient db;
    private final MailSender sender;
    private final TransactionTemplate transactions;

    MailOutbox(JdbcClient db, MailSender sender, TransactionTemplate transactions) {
        this.db = db;
        this.sender = sender;
        this.transactions = transactions;
    }

    /** One outbox row as the admin API lists it (no bodies). */
    record Entry(UUID id, List<String> to, List<String> cc, List<String> bcc, String subject, String templateId,
            String status, int attempts, String lastError, Instant nextAttemptAt, Instant createdAt, Instant sentAt) {}

    /** Stores the mail as queued and returns its id. */
    UUID enqueue(UUID projectId, OutgoingMail mail) {
        UUID id = UUID.randomUUID();
        db.sql("""
                INSERT INTO mail_outbox (project_id, id, to_addresses, cc_addresses, bcc_addresses, reply_to, subject,
                                         html, text, template_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""").params(projectId, id, array(mail.to()), array(mail.cc()),
                array(mail.bcc()), mail.replyTo(), mail.subject(), mail.html(), mail.text(), mail.templateId())
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sender.wake();
                }
            });
        } else {
            sender.wake();
        }
        return id;
    }

    /**
     * Queues the mail and answers its row as stored: read in the insert's transaction, before the commit wakes a
     * sender, so it always says queued (a read after could already say sending).
     */
    Entry queue(UUID projectId, OutgoingMail mail) {
        return transactions.execute(status -> find(projectId, enqueue(projectId, mail)).orElseThrow());
    }

    /** The newest rows of a project, optionally of one status. */
    List<Entry> recent(UUID projectId, String status, int limit) {
        return db.sql("SELECT " + ENTRY_COLUMNS + """
                 FROM mail_outbox WHERE project_id = ? AND (?::text IS NULL OR status = ?)
                ORDER BY created_at DESC, id LIMIT ?""").params(projectId, status, status, limit)
                .query(MailOutbox::entry).list();
    }

    /** One row of the project's outbox, as {@link #recent} lists it. */
    Optional<Entry> find(UUID projectId, UUID id) {
        return db.sql("SELECT " + ENTRY_COLUMNS + " FROM mail_outbox WHERE project_id = ? AND id = ?")
                .params(projectId, id).query(MailOutbox::entry).optional();
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        boolean done = !"queued".equals(rs.getString("status"));
        return new Entry(rs.getObject("id", UUID.class), strings(rs.getArray("to_addresses")),
                strings(rs.getArray("cc_addresses")), strings(rs.getArray("bcc_addresses")), rs.getString("subject"),
                rs.getString("template_id"), rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"),
                done ? null : instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("sent_at")));
    }

    static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
