package dev.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout the architecture document describes, read from the sources: which package names which.
 * A cycle between packages means neither can be understood, tested or replaced without the other.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/semaphore");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.semaphore\\.([a-z][a-z0-9.]*?)\\.[A-Z]");

    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void read() throws IOException {
        uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = uses.computeIfAbsent(from.isEmpty() ? "(root)" : from, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = pathBack(start, start, new TreeSet<>());
            if (path != null) {
                cycles.add(start + " -> " + String.join(" -> ", path));
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void theTaskDomainKnowsNeitherTheDispatcherNorAnExecutor() {
        assertThat(uses.get("task")).doesNotContain("task.dispatch", "task.local", "task.job");
        assertThat(uses.get("task.job")).as("the seam").doesNotContain("task.dispatch", "task.local", "db",
                "execution");
        assertThat(uses.get("task.dispatch")).as("the dispatcher runs jobs only through the seam")
                .doesNotContain("task.local", "execution");
        assertThat(uses.get("task.local")).doesNotContain("task.dispatch", "db");
    }

    /** A path from {@code from}'s dependencies back to {@code target}, or null. */
    private static List<String> pathBack(String from, String target, Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return new ArrayList<>(List.of(next));
            }
            if (seen.add(next)) {
                List<String> rest = pathBack(next, target, seen);
                if (rest != null) {
                    rest.addFirst(next);
                    return rest;
                }
            }
        }
        return null;
    }
}
