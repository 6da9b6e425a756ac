package dev.semaphore.task;

import dev.semaphore.db.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored output of tasks: lines kept in chunks of many lines per row (one row per line would
 * make a million-line task a million inserts). A line is stored as "{epoch millis}\t{text}".
 */
public final class TaskLog {
    /**
     * One output line as upstream's {@code /output} lists them; {@code id} is the line's number
     * from 1, {@code stageId} the stage it belongs to, if stages are known.
     */
    public record Line(long id, long taskId, Instant time, String output, Long stageId) {
        Line inStage(Long stage) {
            return new Line(id, taskId, time, output, stage);
        }
    }

    private static final java.util.regex.Pattern COLOURS = java.util.regex.Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

    private final Database db;

    public TaskLog(Database db) {
        this.db = db;
    }

    /** A line as a reader of plain text sees it: without terminal colour codes. */
    public static String withoutColours(String line) {
        return COLOURS.matcher(line).replaceAll("");
    }

    public void append(long taskId, int firstLine, List<Instant> times, List<String> texts) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                content.append('\n');
            }
            content.append(times.get(i).toEpochMilli()).append('\t').append(texts.get(i));
        }
        db.txRun(h -> h.createUpdate("INSERT INTO task_output (task_id, first_line, line_count, content)"
                        + " VALUES (:t, :first, :count, :content)")
                .bind("t", taskId).bind("first", firstLine).bind("count", texts.size()).bind("content", content.toString())
                .execute());
    }

    /** The number the task's next output line gets (lines count from 1). */
    public int nextLine(long taskId) {
        return db.read(h -> h.createQuery("SELECT COALESCE(MAX(first_line + line_count), 1) FROM task_output"
                + " WHERE task_id = :t").bind("t", taskId).mapTo(Integer.class).one());
    }

    /** Lines {@code offset+1 .. offset+limit} of a task's output. */
    public List<Line> read(long taskId, long offset, int limit) {
        record Chunk(int first, String content) {
        }
        List<Chunk> chunks = db.read(h -> h.createQuery("SELECT first_line, content FROM task_output WHERE task_id = :t"
                        + " AND first_line + line_count > :from AND first_line <= :to ORDER BY first_line")
                .bind("t", taskId).bind("from", offset + 1).bind("to", offset + limit)
                .map((rs, ctx) -> new Chunk(rs.getInt("first_line"), rs.getString("content"))).list());
        List<Line> lines = new ArrayList<>();
        for (Chunk chunk : chunks) {
            String[] rows = chunk.content().split("\n", -1);
            for (int i = 0; i < rows.length; i++) {
                long number = chunk.first() + i;
                if (number > offset && number <= offset + limit) {
                    int tab = rows[i].indexOf('\t');
                    lines.add(new Line(number, taskId, Instant.ofEpochMilli(Long.parseLong(rows[i].substring(0, tab))),
                            rows[i].substring(tab + 1), null));
                }
            }
        }
        return lines;
    }
}
