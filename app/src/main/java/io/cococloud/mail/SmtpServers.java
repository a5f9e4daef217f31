package io.cococloud.mail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

import io.cococloud.secret.SecretService;
import io.cococloud.secret.UnreadableSecretException;

/**
 * Which SMTP server a project's mail goes through (its own settings, else the server-wide
 * default), and one {@link JavaMailSenderImpl} per distinct server, kept in a small LRU cache.
 */
@Component
class SmtpServers {

    private static final int CACHED_TRANSPORTS = 256;

    private final MailSettingsStore settings;
    private final SecretService secrets;
    private final MailProperties properties;
    private final Map<SmtpServer, JavaMailSenderImpl> transports = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<SmtpServer, JavaMailSenderImpl> eldest) {
                    return size() > CACHED_TRANSPORTS;
                }
            });

    private final SmtpHostPolicy hosts;

    SmtpServers(MailSettingsStore settings, SecretService secrets, MailProperties properties) {
        this.hosts = new SmtpHostPolicy(properties.allowedInternalHosts());
        this.settings = settings;
        this.secrets = secrets;
        this.properties = properties;
    }

    /** A server that cannot be used as configured; the message is for the project's admins. */
    static class MisconfiguredException extends RuntimeException {
        MisconfiguredException(String message) {
            super(message);
        }
    }

    /** The project's server, its password read from the named secret at this moment. */
    SmtpServer forProject(UUID projectId) {
        MailSettingsStore.Settings own = settings.find(projectId).orElse(null);
        if (own == null) {
            SmtpServer fallback = properties.defaultServer();
            if (fallback == null) {
                throw new MisconfiguredException("no SMTP server: the project has no mail settings and the server"
                        + " no default (COCO_MAIL_HOST); the mail waits until one is set");
            }
            return fallback;
        }
        hosts.refusal(own.host()).ifPresent(why -> {
            throw new MisconfiguredException(why); // the name may point somewhere else than when it was saved
        });
        String password = null;
        if (own.passwordSecret() != null) {
            try {
                password = secrets.read(projectId, own.passwordSecret()).orElseThrow(() -> new MisconfiguredException(
                        "the mail settings name the password secret '" + own.passwordSecret()
                                + "', which the project does not have"));
            } catch (UnreadableSecretException e) {
                throw new MisconfiguredException("the mail password secret cannot be read: " + e.getMessage());
            }
        }
        return new SmtpServer(own.host(), own.port(), own.security(), own.username(), password, own.fromAddress());
    }

    JavaMailSenderImpl transport(SmtpServer server) {
        return transports.computeIfAbsent(server, this::newTransport);
    }

    private JavaMailSenderImpl newTransport(SmtpServer server) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        boolean tls = "tls".equals(server.security());
        String protocol = tls ? "smtps" : "smtp";
        sender.setProtocol(protocol);
        sender.setHost(server.host());
        sender.setPort(server.port());
        sender.setUsername(server.username());
        sender.setPassword(server.password());
        sender.setDefaultEncoding("UTF-8");
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        props.setProperty(prefix + "auth", Boolean.toString(server.username() != null));
        props.setProperty(prefix + "connectiontimeout", Long.toString(properties.connectTimeout().toMillis()));
        props.setProperty(prefix + "timeout", Long.toString(properties.ioTimeout().toMillis()));
        props.setProperty(prefix + "writetimeout", Long.toString(properties.ioTimeout().toMillis()));
        if ("starttls".equals(server.security())) {
            // required: a server that does not offer STARTTLS must not get the mail (or password) in clear
            props.setProperty(prefix + "starttls.enable", "true");
            props.setProperty(prefix + "starttls.required", "true");
        }
        if (tls || "starttls".equals(server.security())) {
            props.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        sender.setJavaMailProperties(props);
        return sender;
    }
}
