package io.cococloud.mail;

/**
 * One SMTP server as the sender uses it: a project's own settings (with the password read from
 * its secret) or the server-wide default. Also the key of the transport cache, so a change of
 * any setting, the password included, makes a new transport.
 */
record SmtpServer(String host, int port, String security, String username, String password, String from) {

    @Override
    public String toString() {
        // never the password: this ends up in logs
        return security + "://" + (username == null ? "" : username + "@") + host + ":" + port;
    }
}
