package dev.semaphore.task.dispatch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's output lines not yet stored, oldest first, in bounded memory: beyond {@link #MEMORY_LINES} lines or
 * {@link #MEMORY_CHARS} characters (the database does not answer, or not fast enough) the lines held go to a
 * file of the task's in a private folder, and come back from it in order, a batch at a time. Not thread-safe:
 * its owner locks.
 *
 * <p>The order is: {@code head} (at most a batch, read back from the file), the file, {@code tail} (the
 * newest lines). A batch handed out by {@link #first} is dropped by {@link #drop} once stored, wherever its
 * lines went meanwhile.
 */
final class PendingLines implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PendingLines.class);
    static final int MEMORY_LINES = 10_000;
    static final int MEMORY_CHARS = 4 * 1024 * 1024;

    /** What the server holds for every task, for its metrics. */
    static final Backlog BACKLOG = new Backlog();

    /** Lines held in memory and in files by every task of this process. */
    static final class Backlog {
        final java.util.concurrent.atomic.AtomicLong memoryLines = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong memoryChars = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong spilledLines = new java.util.concurrent.atomic.AtomicLong();
    }

    record Line(Instant time, String text) {
    }

    private final java.util.function.LongFunction<SpillFolder> folders;
    private final long taskId;
    private final ArrayDeque<Line> head = new ArrayDeque<>();
    private final ArrayDeque<Line> tail = new ArrayDeque<>();
    private long tailChars;
    private long headChars;
    private SpillFolder folder;
    private DataOutputStream spillOut;
    private DataInputStream spillIn;
    private long inFile;
    private boolean spillRefused;

    /** @param folders makes the task's private folder for spilled lines, when it is needed */
    PendingLines(java.util.function.LongFunction<SpillFolder> folders, long taskId) {
        this.folders = folders;
        this.taskId = taskId;
    }

    int size() {
        return (int) Math.min(Integer.MAX_VALUE, head.size() + inFile + tail.size());
    }

    boolean isEmpty() {
        return head.isEmpty() && inFile == 0 && tail.isEmpty();
    }

    void add(Instant time, String text) {
        tail.addLast(new Line(time, text));
        tailChars += text.length();
        BACKLOG.memoryLines.incrementAndGet();
        BACKLOG.memoryChars.addAndGet(text.length());
        if ((tail.size() >= MEMORY_LINES || tailChars >= MEMORY_CHARS) && !spillRefused) {
            try {
                spill();
            } catch (UncheckedIOException e) {
                // The disk refuses too: the lines stay in memory rather than being lost.
                spillRefused = true;
                LOG.warn("task {}: {}; its output stays in memory", taskId, e.getMessage());
            }
        }
    }

    /** The oldest lines, at most {@code max}: a copy; they stay until {@link #drop}ped. */
    List<Line> first(int max) {
        if (head.isEmpty() && inFile > 0) {
            readBack(max);
        }
        ArrayDeque<Line> from = head.isEmpty() ? tail : head;
        List<Line> batch = new ArrayList<>(Math.min(max, from.size()));
        for (Line line : from) {
            if (batch.size() == max) {
                break;
            }
            batch.add(line);
        }
        return batch;
    }

    /** Forgets the {@code count} oldest lines (stored now). */
    void drop(int count) {
        for (int i = 0; i < count; i++) {
            if (head.isEmpty() && inFile > 0) {
                readBack(count - i);
            }
            Line gone;
            if (!head.isEmpty()) {
                gone = head.removeFirst();
                headChars -= gone.text().length();
            } else if (!tail.isEmpty()) {
                gone = tail.removeFirst();
                tailChars -= gone.text().length();
            } else {
                return;
            }
            BACKLOG.memoryLines.decrementAndGet();
            BACKLOG.memoryChars.addAndGet(-gone.text().length());
        }
        if (isEmpty()) {
            closeFile();
        }
    }

    /** Moves the tail to the end of the file: memory stays bounded however long the database is away. */
    private void spill() {
        try {
            if (spillOut == null) {
                folder = folders.apply(taskId);
                Path file = Files.createFile(folder.path().resolve("output.spill"),
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                spillOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                        java.nio.file.StandardOpenOption.APPEND)));
                spillIn = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
            }
            for (Line line : tail) {
                byte[] text = line.text().getBytes(StandardCharsets.UTF_8);
                spillOut.writeLong(line.time().toEpochMilli());
                spillOut.writeInt(text.length);
                spillOut.write(text);
            }
            spillOut.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep task " + taskId + "'s output on disk", e);
        }
        inFile += tail.size();
        BACKLOG.spilledLines.addAndGet(tail.size());
        BACKLOG.memoryLines.addAndGet(-tail.size());
        BACKLOG.memoryChars.addAndGet(-tailChars);
        tail.clear();
        tailChars = 0;
    }

    private void readBack(int wanted) {
        int count = (int) Math.min(Math.max(wanted, 1), inFile);
        try {
            for (int i = 0; i < count; i++) {
                Instant time = Instant.ofEpochMilli(spillIn.readLong());
                String text = new String(spillIn.readNBytes(spillIn.readInt()), StandardCharsets.UTF_8);
                head.addLast(new Line(time, text));
                headChars += text.length();
                BACKLOG.memoryLines.incrementAndGet();
                BACKLOG.memoryChars.addAndGet(text.length());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task " + taskId + "'s kept output back", e);
        }
        inFile -= count;
        BACKLOG.spilledLines.addAndGet(-count);
        if (inFile == 0) {
            closeFile();
        }
    }

    private void closeFile() {
        if (folder == null) {
            return;
        }
        try {
            spillOut.close();
            spillIn.close();
        } catch (IOException ignored) {
            // the folder goes next, with the file in it
        }
        folder.remove().run();
        folder = null;
        spillOut = null;
        spillIn = null;
    }

    /** Forgets what is left (a server stopping gives up on a database that does not answer). */
    @Override
    public void close() {
        BACKLOG.memoryLines.addAndGet(-(head.size() + tail.size()));
        BACKLOG.memoryChars.addAndGet(-(headChars + tailChars));
        BACKLOG.spilledLines.addAndGet(-inFile);
        head.clear();
        tail.clear();
        headChars = 0;
        tailChars = 0;
        inFile = 0;
        closeFile();
    }
}
