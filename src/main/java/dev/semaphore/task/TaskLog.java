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
        String content = content(times, texts);
        db.txRun(h -> h.createUpdate("INSERT INTO task_output (task_id, first_line, line_count, content)"
                        + " VALUES (:t, :first, :count, :content)")
                .bind("t", taskId).bind("first", firstLine).bind("count", texts.size()).bind("content", content)
                .execute());
    }

    private static String content(List<Instant> times, List<String> texts) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                content.append('\n');
            }
            content.append(times.get(i).toEpochMilli()).append('\t').append(texts.get(i));
        }
        return content.toString();
    }

    /**
     * Whether exactly these lines are stored from {@code firstLine} on: an append whose answer was lost with
     * the connection may have been written all the same.
     */
    public boolean holds(long taskId, int firstLine, List<Instant> times, List<String> texts) {
        String content = content(times, texts);
        return db.read(h -> h.createQuery("SELECT content FROM task_output WHERE task_id = :t AND first_line = :first"
                        + " AND line_count = :count")
                .bind("t", taskId).bind("first", firstLine).bind("count", texts.size()).mapTo(String.class)
                .findOne()).filter(content::equals).isPresent();
    }

    /** The number the task's next output line gets (lines count from 1). */
    public int nextLine(long taskId) {
        return db.read(h -> h.createQuery("SELECT COALESCE(MAX(next_line), 1) FROM ("
                + "SELECT MAX(first_line + line_count) AS next_line FROM task_output WHERE task_id = :t UNION ALL "
                + "SELECT MAX(first_line + line_count) FROM task_output_packed WHERE task_id = :t) n")
                .bind("t", taskId).mapTo(Integer.class).one());
    }

    /** Lines {@code offset+1 .. offset+limit} of a task's output, from plain chunks and compacted ones alike. */
    public List<Line> read(long taskId, long offset, int limit) {
        List<Chunk> chunks = db.read(h -> {
            List<Chunk> found = new ArrayList<>();
            for (String table : List.of("task_output", "task_output_packed")) {
                boolean packed = table.equals("task_output_packed");
                found.addAll(h.createQuery("SELECT first_line, content FROM " + table + " WHERE task_id = :t"
                                + " AND first_line + line_count > :from AND first_line <= :to ORDER BY first_line")
                        .bind("t", taskId).bind("from", offset + 1).bind("to", offset + limit)
                        .map((rs, ctx) -> new Chunk(rs.getInt("first_line"), 0, packed
                                ? OutputCompression.unpack(rs.getBytes("content")) : rs.getString("content")))
                        .list());
            }
            return found;
        });
        // Compaction moves lines from the plain table to the packed one, never back, and the plain table is
        // read first: a line moved between the two reads is read twice, never missed, and kept once here.
        chunks.sort(java.util.Comparator.comparingInt(Chunk::first));
        List<Line> lines = new ArrayList<>();
        long last = offset;
        for (Chunk chunk : chunks) {
            String[] rows = chunk.content().split("\n", -1);
            for (int i = 0; i < rows.length; i++) {
                long number = chunk.first() + i;
                if (number > last && number <= offset + limit) {
                    last = number;
                    int tab = rows[i].indexOf('\t');
                    lines.add(new Line(number, taskId, Instant.ofEpochMilli(Long.parseLong(rows[i].substring(0, tab))),
                            rows[i].substring(tab + 1), null));
                }
            }
        }
        return lines;
    }

    /** Stored lines from {@code first} on, joined by newlines ({@code lineCount} where it was read). */
    record Chunk(int first, int lineCount, String content) {
    }
}
