package dev.semaphore.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * A task's stages (upstream's {@code init}, {@code terraform_plan}, {@code running},
 * {@code print_result}): each starts at a line of the output and lasts until the next one starts.
 * {@code result} holds what was read from the output, such as Ansible's recap.
 */
public final class TaskStages {
    record Stage(long id, long taskId, String type, Instant start, Instant end, @JsonIgnore int firstLine,
                 @JsonRawValue String result) {
        /** Upstream's output line number where the stage begins. */
        public int startOutputLine() {
            return firstLine;
        }
    }

    private TaskStages() {
    }

    /** Ends the task's open stage (if any) and opens the next at {@code firstLine}. */
    public static long open(Handle h, long taskId, String type, int firstLine) {
        close(h, taskId);
        return h.createUpdate("INSERT INTO task_stages (task_id, type, first_line, start_time)"
                        + " VALUES (:t, :type, :first, :start)")
                .bind("t", taskId).bind("type", type).bind("first", firstLine).bind("start", Times.now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /**
     * Ends the task's open stage. Found by a plain read, then updated by primary key: an update
     * ranging over the task's index entries takes gap locks in InnoDB, which deadlock with other
     * tasks' inserts when many start at once.
     */
    public static void close(Handle h, long taskId) {
        List<Long> open = h.createQuery("SELECT id FROM task_stages WHERE task_id = :t AND end_time IS NULL")
                .bind("t", taskId).mapTo(Long.class).list();
        for (long id : open) {
            h.createUpdate("UPDATE task_stages SET end_time = :end WHERE id = :id").bind("id", id)
                    .bind("end", Times.now()).execute();
        }
    }

    public static void setResult(Handle h, long stageId, String json) {
        h.createUpdate("UPDATE task_stages SET result = :r WHERE id = :id").bind("id", stageId).bind("r", json)
                .execute();
    }

    static List<Stage> list(Handle h, long taskId) {
        return h.createQuery("SELECT id, task_id, type, first_line, start_time, end_time, result FROM task_stages"
                        + " WHERE task_id = :t ORDER BY id")
                .bind("t", taskId)
                .map((rs, ctx) -> new Stage(rs.getLong("id"), rs.getLong("task_id"), rs.getString("type"),
                        Rows.instant(rs, "start_time", ctx), Rows.instant(rs, "end_time", ctx),
                        rs.getInt("first_line"), rs.getString("result")))
                .list();
    }

    static void delete(Handle h, long taskId) {
        h.createUpdate("DELETE FROM task_stages WHERE task_id = :t").bind("t", taskId).execute();
    }
}
