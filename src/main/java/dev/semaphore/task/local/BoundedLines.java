package dev.semaphore.task.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process's output line by line (ended by \n, \r or \r\n, as {@code BufferedReader.readLine}
 * does) without ever holding more than {@code max} characters of one line: the rest of a longer
 * line is read and dropped, and the line ends with a marker saying how much was cut. One runaway
 * line (a binary file printed by mistake) must not fill the server's memory.
 */
final class BoundedLines implements AutoCloseable {
    private final InputStreamReader in;
    private final int max;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int length;
    private boolean skipNewline;

    BoundedLines(InputStream stream, int max) {
        this.in = new InputStreamReader(stream, StandardCharsets.UTF_8);
        this.max = max;
    }

    /** The next line, or null at the end of the output. */
    String next() throws IOException {
        StringBuilder partial = null;
        long dropped = 0;
        while (true) {
            if (position == length) {
                length = Math.max(0, in.read(buffer, 0, buffer.length));
                position = 0;
                if (length == 0) {
                    return partial == null ? null : finish(partial, dropped);
                }
            }
            if (skipNewline) {
                skipNewline = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < length && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int chunk = position - start;
            boolean ended = position < length;
            if (ended) {
                skipNewline = buffer[position] == '\r';
                position++;
                if (partial == null && chunk <= max) {
                    return new String(buffer, start, chunk); // the common case: one copy
                }
            }
            if (partial == null) {
                partial = new StringBuilder(Math.min(chunk, max));
            }
            int room = max - partial.length();
            partial.append(buffer, start, Math.min(room, chunk));
            dropped += Math.max(0, chunk - room);
            if (ended) {
                return finish(partial, dropped);
            }
        }
    }

    private static String finish(StringBuilder line, long dropped) {
        return dropped == 0 ? line.toString() : line.append("… [line cut: ").append(dropped)
                .append(" more characters]").toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
