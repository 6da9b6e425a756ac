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
            long task = task(db);
            TaskLog log = new TaskLog(db);
            try (LogSink sink = new LogSink(log, new TaskEvents(), 1, task, List.of(), 0,
                    folders(TestDatabases.tempDir()), () -> false)) {
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

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void whatMemoryCannotHoldWaitsInAFileAndComesBackInOrder() throws Exception {
        try (Database db = Database.open(TestDatabases.freshConfig(Dialect.SQLITE))) {
            db.migrate();
            long task = task(db);
            TaskLog log = new TaskLog(db);
            java.nio.file.Path spill = java.nio.file.Files.createTempDirectory(TestDatabases.tempDir(), "spill");
            int count = PendingLines.MEMORY_LINES * 2 + 500;
            try (LogSink sink = new LogSink(log, new TaskEvents(), 1, task, List.of(), 0, folders(spill), () -> false)) {
                sink.line("line 1");
                sink.flush();
                db.txRun(h -> h.execute("ALTER TABLE task_output RENAME TO task_output_away"));
                try {
                    for (int i = 2; i <= count; i++) {
                        sink.line("line " + i);
                    }
                    // A batch at a time comes back from the file to be tried.
                    assertThat(TaskEngine.outputBacklog().spilledLines()).as("held in a file")
                            .isGreaterThanOrEqualTo(PendingLines.MEMORY_LINES * 2L - 1_000);
                    assertThat(TaskEngine.outputBacklog().memoryLines()).as("held in memory")
                            .isLessThanOrEqualTo(PendingLines.MEMORY_LINES + 1_000L);
                    try (var files = java.nio.file.Files.walk(spill)) {
                        assertThat(files.map(f -> f.getFileName().toString())).contains("output.spill");
                    }
                } finally {
                    db.txRun(h -> h.execute("ALTER TABLE task_output_away RENAME TO task_output"));
                }
            }
            List<String> expected = java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> "line " + i).toList();
            assertThat(log.read(task, 0, count + 10)).extracting(TaskLog.Line::output).isEqualTo(expected);
            try (var files = java.nio.file.Files.list(spill)) {
                assertThat(files).as("the file goes once its lines are stored").isEmpty();
            }
            assertThat(TaskEngine.outputBacklog().spilledLines()).isZero();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void linesWrittenByAnotherServerMeanwhileAreKeptAndTheseGoAfterThem() throws Exception {
        try (Database db = Database.open(TestDatabases.freshConfig(Dialect.SQLITE))) {
            db.migrate();
            long task = task(db);
            TaskLog log = new TaskLog(db);
            try (LogSink sink = new LogSink(log, new TaskEvents(), 1, task, List.of(), 0, folders(TestDatabases.tempDir()),
                    () -> false)) {
                sink.line("before");
                sink.flush();
                // What a server that took this one for dead writes while it could not reach the database.
                log.append(task, 2, List.of(java.time.Instant.now()), List.of("taken over"));
                sink.line("late 1");
                sink.line("late 2");
            }
            assertThat(log.read(task, 0, 10)).extracting(TaskLog.Line::output)
                    .containsExactly("before", "taken over", "late 1", "late 2");
        }
    }

    /** Private folders under {@code root}, as the server makes them. */
    private static java.util.function.LongFunction<SpillFolder> folders(java.nio.file.Path root) {
        return taskId -> {
            var folder = new dev.semaphore.execution.PrivateDirectory(root, "task_" + taskId + "_");
            return new SpillFolder(folder.path(), folder::close);
        };
    }

    private static long task(Database db) {
        return db.tx(h -> {
            h.execute("INSERT INTO projects (created, name) VALUES ('2026-01-01T00:00:00Z', 'p')");
            return h.createUpdate("INSERT INTO tasks (project_id, template_id, status, params, created)"
                            + " VALUES (1, 1, 'running', '{}', '2026-01-01T00:00:00Z')")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        });
    }
}
