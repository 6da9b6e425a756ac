package dev.semaphore.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file the server appends lines to ({@code log.events}, {@code log.tasks}). It is opened for each
 * batch, so logrotate may move it away at any time (no copytruncate needed).
 */
final class AppendedFile {
    private AppendedFile() {
    }

    static void append(Path file, CharSequence lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
