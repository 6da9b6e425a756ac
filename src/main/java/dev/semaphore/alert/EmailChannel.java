package dev.semaphore.alert;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** Upstream's e-mail alert: sent when a task fails, to the project members who enabled alerts. */
final class EmailChannel implements Channel {
    /** SMTP settings, as upstream's {@code email_*} keys. */
    record Settings(String sender, String host, String port, String username, String password, boolean secure,
                    boolean tls, String tlsMinVersion) {
    }

    private final Settings settings;

    EmailChannel(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public boolean wants(Alert alert) {
        return !alert.emails().isEmpty() && (alert.test() || alert.status().equals("error"));
    }

    @Override
    public void send(Alert alert) throws Exception {
        Properties props = new Properties();
        String protocol = settings.tls() ? "smtps" : "smtp";
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", settings.host());
        props.put("mail." + protocol + ".port", settings.port());
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail." + protocol + ".writetimeout", "10000");
        props.put("mail." + protocol + ".ssl.protocols", settings.tlsMinVersion().equals("1.3") ? "TLSv1.3"
                : "TLSv1.2 TLSv1.3");
        if (settings.secure()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        Authenticator auth = null;
        if (!settings.username().isEmpty()) {
            props.put("mail." + protocol + ".auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(settings.username(), settings.password());
                }
            };
        }
        Session session = Session.getInstance(props, auth);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(settings.sender()));
        for (String to : alert.emails()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        message.setSubject(alert.test() ? alert.title() : "Task '" + alert.templateName() + "' failed", "UTF-8");
        message.setText(body(alert), "UTF-8");
        Transport.send(message);
    }

    private static String body(Alert alert) {
        if (alert.test()) {
            return alert.text() + "\n";
        }
        return "Task " + alert.taskId() + " of template '" + alert.templateName() + "' in project "
                + alert.projectName() + " failed.\n\n"
                + "Author: " + alert.author() + "\n"
                + (alert.version() == null ? "" : "Version: " + alert.version() + "\n")
                + "Details: " + alert.url() + "\n";
    }
}
