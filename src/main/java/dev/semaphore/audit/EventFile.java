package dev.semaphore.audit;

import dev.semaphore.common.Json;
import dev.semaphore.event.Event;
import java.nio.file.Path;
import java.util.List;

/** Upstream's {@code log.events}: each event a line appended to a file (JSON as {@code /api/events} has it, or text). */
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
            lines.append(json ? Json.write(e) : text(e)).append('\n');
        }
        AppendedFile.append(file, lines);
        return events.size();
    }

    /** One readable line: when, who, where, what. */
    private static String text(Event e) {
        return e.created() + " " + (e.username() == null ? "system" : e.username())
                + (e.projectName() == null ? "" : " [" + e.projectName() + "]") + " " + e.objectType()
                + (e.objectName() == null || e.objectName().isEmpty() ? "" : " '" + e.objectName() + "'")
                + ": " + e.description();
    }
}
