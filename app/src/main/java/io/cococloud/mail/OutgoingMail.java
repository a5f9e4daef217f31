package io.cococloud.mail;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A mail ready for the outbox: addresses parsed strictly, subject and bodies final (templates
 * already rendered). The constructor enforces the caps, so no outbox row can break them.
 */
record OutgoingMail(List<String> to, List<String> cc, List<String> bcc, String replyTo, String subject,
        String html, String text, String templateId) {

    static final int MAX_RECIPIENTS = 50;
    static final int MAX_SUBJECT_CHARS = 998;
    static final int MAX_BODY_BYTES = 1024 * 1024;

    OutgoingMail {
        to = List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("to names no recipient");
        }
        if (to.size() + cc.size() + bcc.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("a mail has at most " + MAX_RECIPIENTS
                    + " recipients (to, cc and bcc together); this one has " + (to.size() + cc.size() + bcc.size()));
        }
        if (subject == null) {
            throw new IllegalArgumentException("subject is required");
        }
        // a header line: RFC 5322's 998-character limit, and no line breaks (header injection)
        subject = subject.replaceAll("[\\r\\n]+", " ");
        if (subject.length() > MAX_SUBJECT_CHARS) {
            throw new IllegalArgumentException("subject is longer than " + MAX_SUBJECT_CHARS + " characters ("
                    + subject.length() + ")");
        }
        if (html == null && text == null) {
            throw new IllegalArgumentException("the mail has no body");
        }
        if (bytes(html) + bytes(text) > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body is larger than 1 MB (" + (bytes(html) + bytes(text))
                    + " bytes)");
        }
    }

    private static long bytes(String body) {
        return body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
    }
}
