package dev.semaphore.mail;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/** Sends plain-text mail through the SMTP server upstream's {@code email_*} keys name (Jakarta Mail). */
public final class Mailer {
    /** SMTP settings, as upstream's {@code email_*} keys. */
    public record Settings(String sender, String host, String port, String username, String password, boolean secure,
                           boolean tls, String tlsMinVersion) {
    }

    private final Settings settings;

    public Mailer(Settings settings) {
        this.settings = settings;
    }

    public void send(List<String> to, String subject, String text) throws jakarta.mail.MessagingException {
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
        MimeMessage message = new MimeMessage(Session.getInstance(props, auth));
        message.setFrom(new InternetAddress(settings.sender()));
        for (String address : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        Transport.send(message);
    }

    /** The mail settings of a configuration, or null when e-mail is off ({@code email_alert}). */
    public static Mailer of(dev.semaphore.config.Config c) {
        return c.bool(dev.semaphore.config.ConfigKeys.EMAIL_ALERT) ? configured(c) : null;
    }

    /** The mail settings whatever {@code email_alert} says (sign-in codes are not alerts); null without a host. */
    public static Mailer configured(dev.semaphore.config.Config c) {
        if (c.string(dev.semaphore.config.ConfigKeys.EMAIL_HOST).isBlank()) {
            return null;
        }
        return new Mailer(new Settings(c.string(dev.semaphore.config.ConfigKeys.EMAIL_SENDER),
                c.string(dev.semaphore.config.ConfigKeys.EMAIL_HOST),
                c.string(dev.semaphore.config.ConfigKeys.EMAIL_PORT).replaceFirst("^:", ""),
                c.string(dev.semaphore.config.ConfigKeys.EMAIL_USERNAME),
                c.string(dev.semaphore.config.ConfigKeys.EMAIL_PASSWORD),
                c.bool(dev.semaphore.config.ConfigKeys.EMAIL_SECURE), c.bool(dev.semaphore.config.ConfigKeys.EMAIL_TLS),
                c.string(dev.semaphore.config.ConfigKeys.EMAIL_TLS_MIN_VERSION)));
    }
}
