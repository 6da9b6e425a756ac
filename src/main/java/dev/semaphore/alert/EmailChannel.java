package dev.semaphore.alert;

import dev.semaphore.mail.Mailer;

/** Upstream's e-mail alert: sent when a task fails, to the project members who enabled alerts. */
final class EmailChannel implements Channel {
    private final Mailer mailer;

    EmailChannel(Mailer mailer) {
        this.mailer = mailer;
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
        mailer.send(alert.emails(), alert.test() ? alert.title() : "Task '" + alert.templateName() + "' failed",
                body(alert));
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
