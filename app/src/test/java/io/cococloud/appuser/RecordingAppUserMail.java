package io.cococloud.appuser;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * Test sources only: records the mails of app-user flows so that tests can read the tokens,
 * then passes each mail on to the other {@link AppUserMail} beans, so the shared test context
 * behaves as production does. A plain component (not a test configuration) so that component
 * scanning adds it to the one context every integration test shares, without a new context.
 */
@Component
@Primary
class RecordingAppUserMail implements AppUserMail {

    /** What a mail would have carried. */
    record Sent(String kind, UUID projectId, String userId, String email, String token, Duration validFor) {}

    private static final int KEEP = 1000;

    private final ConcurrentLinkedDeque<Sent> sent = new ConcurrentLinkedDeque<>();
    private final ObjectProvider<AppUserMail> all;

    RecordingAppUserMail(ObjectProvider<AppUserMail> all) {
        this.all = all;
    }

    @Override
    public void passwordReset(UUID projectId, AppUser user, String token, Duration validFor) {
        record(new Sent("reset", projectId, user.id(), user.email(), token, validFor));
        all.orderedStream().filter(mail -> mail != this).forEach(m -> m.passwordReset(projectId, user, token, validFor));
    }

    @Override
    public void emailVerification(UUID projectId, AppUser user, String token, Duration validFor) {
        record(new Sent("verify", projectId, user.id(), user.email(), token, validFor));
        all.orderedStream().filter(mail -> mail != this)
                .forEach(m -> m.emailVerification(projectId, user, token, validFor));
    }

    /** The newest mail of a kind to an address in a project. */
    Optional<Sent> last(String kind, String projectId, String email) {
        for (Iterator<Sent> newest = sent.descendingIterator(); newest.hasNext();) {
            Sent mail = newest.next();
            if (mail.kind().equals(kind) && mail.projectId().toString().equals(projectId)
                    && mail.email().equalsIgnoreCase(email)) {
                return Optional.of(mail);
            }
        }
        return Optional.empty();
    }

    /** How many mails of a kind went to an address in a project. */
    long count(String kind, String projectId, String email) {
        return sent.stream().filter(mail -> mail.kind().equals(kind) && mail.projectId().toString().equals(projectId)
                && mail.email().equalsIgnoreCase(email)).count();
    }

    private void record(Sent mail) {
        sent.addLast(mail);
        while (sent.size() > KEEP) {
            sent.pollFirst();
        }
    }
}
