package dev.semaphore.alert;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** What alerts read: the project's settings, the template's suppression flag, the members who want mail. */
final class AlertStore {
    private AlertStore() {
    }

    static Optional<AlertService.ProjectAlerts> project(Handle h, long projectId) {
        return h.createQuery("SELECT name, alert, alert_chat FROM projects WHERE id = :p").bind("p", projectId)
                .map((rs, ctx) -> new AlertService.ProjectAlerts(rs.getString("name"), rs.getBoolean("alert"),
                        rs.getString("alert_chat")))
                .findOne();
    }

    static boolean suppressesSuccess(Handle h, long templateId) {
        return h.createQuery("SELECT suppress_success_alerts FROM templates WHERE id = :t").bind("t", templateId)
                .mapTo(Boolean.class).findOne().orElse(false);
    }

    static List<String> recipients(Handle h, long projectId) {
        return h.createQuery("""
                        SELECT u.email FROM project_users pu JOIN users u ON u.id = pu.user_id
                        WHERE pu.project_id = :p AND u.alert = :yes AND u.email IS NOT NULL AND u.email <> ''
                        ORDER BY u.id""")
                .bind("p", projectId).bind("yes", true).mapTo(String.class).list();
    }
}
