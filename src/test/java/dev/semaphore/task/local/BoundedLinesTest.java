package dev.semaphore.task.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line splitting as readLine does it, with a bound on one line's length. */
class BoundedLinesTest {
    private static List<String> lines(String text, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (BoundedLines lines = new BoundedLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                max)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void endsLinesAtNewlineCarriageReturnOrBoth() throws IOException {
        assertThat(lines("a\nb\r\nc\rd", 100)).containsExactly("a", "b", "c", "d");
        assertThat(lines("\n\nx\n", 100)).containsExactly("", "", "x");
        assertThat(lines("", 100)).isEmpty();
        assertThat(lines("é ü\n", 100)).containsExactly("é ü");
    }

    @Test
    void cutsALongLineAndCountsWhatItDropped() throws IOException {
        assertThat(lines("12345\n123456789\nok", 5)).containsExactly("12345", "12345… [line cut: 4 more characters]",
                "ok");
        // A line longer than the read buffer, cut across many reads.
        String huge = "y".repeat(200_000);
        assertThat(lines(huge + "\r\nafter\n", 100)).containsExactly(
                "y".repeat(100) + "… [line cut: 199900 more characters]", "after");
    }
}
