package dev.semaphore.task.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Database;
import dev.semaphore.db.Dialect;
import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskLog;
import dev.semaphore.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output lines survive a database that refuses writes for a while: nothing is dropped or reordered. */
class LogSinkTest {
    @Test
    void linesTheDatabaseRefusedAreWrittenOnceItTakesThemAgain() throws Exception {
        try (Database db = Database.open(TestDatabases.freshConfig(Dialect.SQLITE))) {
            db.migrate();
            long task = db.tx(h -> {
                h.execute("INSERT INTO projects (created, name) VALUES ('2026-01-01T00:00:00Z', 'p')");
                return h.createUpdate("INSERT INTO tasks (project_id, template_id, status, params, created)"
                                + " VALUES (1, 1, 'running', '{}', '2026-01-01T00:00:00Z')")
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            });
            TaskLog log = new TaskLog(db);
            try (LogSink sink = new LogSink(log, new TaskEvents(), 1, task, List.of(), 0, () -> false)) {
                sink.line("before");
                sink.flush();
                db.txRun(h -> h.execute("ALTER TABLE task_output RENAME TO task_output_away"));
                sink.line("during 1");
                sink.line("during 2");
                Thread.sleep(350); // several timed flushes fail meanwhile
                db.txRun(h -> h.execute("ALTER TABLE task_output_away RENAME TO task_output"));
                sink.line("after");
            }
            assertThat(log.read(task, 0, 10)).extracting(TaskLog.Line::output)
                    .containsExactly("before", "during 1", "during 2", "after");
            assertThat(log.read(task, 0, 10)).extracting(TaskLog.Line::id).containsExactly(1L, 2L, 3L, 4L);
        }
    }
}
