package dev.semaphore.audit;

import dev.semaphore.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Upstream's {@code log.events}: each event a line appended to a file (JSON or text). The file is opened
 * for each batch, so logrotate may move it away at any time (no copytruncate needed).
 */
public final class EventFile implements EventExports.Sink {
    private final Path file;
    private final boolean json;

    public EventFile(Path file, String format) {
        this.file = file.toAbsolutePath();
        this.json = !"text".equals(format);
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public int deliver(List<Event> events) {
        StringBuilder lines = new StringBuilder();
        for (Event e : events) {
            lines.append(json ? EventFormat.json(EventFormat.fields(e)) : EventFormat.text(e)).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return events.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
