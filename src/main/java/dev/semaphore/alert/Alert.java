package dev.semaphore.alert;

import java.util.List;

/**
 * What one alert says: a task of a template reached a status (or, for a test, nothing happened).
 * {@code chat} is the project's Telegram chat when it has its own; {@code emails} are the project
 * members who asked for alerts.
 */
record Alert(long projectId, String projectName, long taskId, String templateName, String status, String author,
             String version, String url, String chat, List<String> emails, boolean test) {

    String title() {
        return test ? "Test notification from Semaphore" : "Task: " + templateName;
    }

    String text() {
        return test ? "Alerts of project " + projectName + " reach this channel."
                : "execution #" + taskId + ", status: " + status.toUpperCase() + "!";
    }

    /** Slack-style colour names. */
    String color() {
        return switch (status) {
            case "success" -> "good";
            case "error" -> "danger";
            default -> "warning";
        };
    }
}
