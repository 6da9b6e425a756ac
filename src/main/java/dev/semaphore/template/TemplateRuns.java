package dev.semaphore.template;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * How often each template ran and its latest task, for {@code tasks} and {@code last_task}: two
 * queries for a whole list, however many templates it holds.
 */
final class TemplateRuns {
    /** A template's latest task, as the template list shows it. */
    record LastTask(long id, long templateId, String status, Instant created, Instant start, Instant end,
                    String message, String version, String commitHash, String userName) {
    }

    private TemplateRuns() {
    }

    static List<Template> attach(Handle h, long projectId, List<Template> templates) {
        if (templates.isEmpty()) {
            return templates;
        }
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Long> latest = new HashMap<>();
        h.createQuery("SELECT template_id, COUNT(*) AS n, MAX(id) AS last FROM tasks WHERE project_id = :p"
                        + " GROUP BY template_id")
                .bind("p", projectId)
                .map((rs, ctx) -> {
                    counts.put(rs.getLong("template_id"), rs.getInt("n"));
                    latest.put(rs.getLong("template_id"), rs.getLong("last"));
                    return null;
                })
                .list();
        Map<Long, LastTask> last = new HashMap<>();
        if (!latest.isEmpty()) {
            h.createQuery("""
                            SELECT t.id, t.template_id, t.status, t.created, t.start_time, t.end_time, t.message,
                                   t.version, t.commit_hash, u.username
                            FROM tasks t LEFT JOIN users u ON u.id = t.user_id WHERE t.id IN (<ids>)""")
                    .bindList("ids", List.copyOf(latest.values()))
                    .map((rs, ctx) -> new LastTask(rs.getLong("id"), rs.getLong("template_id"), rs.getString("status"),
                            Rows.instant(rs, "created", ctx), Rows.instant(rs, "start_time", ctx),
                            Rows.instant(rs, "end_time", ctx), rs.getString("message"), rs.getString("version"),
                            rs.getString("commit_hash"), rs.getString("username")))
                    .forEach(task -> last.put(task.templateId(), task));
        }
        return templates.stream()
                .map(t -> t.withRuns(counts.getOrDefault(t.id(), 0), last.get(t.id())))
                .toList();
    }
}
