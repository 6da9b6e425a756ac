package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A finished task's output moves into large zstd-compressed chunks: every line stays readable, in order
 * and once, through {@code /output} pages that cross chunk borders and {@code /raw_output}, also while
 * it moves and when two processes compact the same task; the chunks take a fraction of the text's size.
 */
class OutputCompactionTest {
    private static final int LINES = 12_345;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aFinishedTasksOutputIsStoredCompressedAndReadsTheSame(Dialect dialect) throws Exception {
        TestServer server = TestServers.of(dialect);
        ProjectFixture p = ProjectFixture.create(server, "Compaction");
        long task = runNoisyTask(p);

        server.services().compaction().compact(task); // whatever the compaction after the end left
        assertThat(rows(server, "task_output", task)).as("no plain chunk is left").isZero();
        assertThat(rows(server, "task_output_packed", task)).as("%d lines in chunks of 5,000", LINES).isEqualTo(3);
        long packedBytes = server.services().db().read(h -> h.createQuery(
                "SELECT SUM(LENGTH(content)) FROM task_output_packed WHERE task_id = :t").bind("t", task)
                .mapTo(Long.class).one());
        String raw = p.admin().get(p.path("/tasks/" + task + "/raw_output")).body();
        assertThat(packedBytes).as("compressed: %d bytes for %d of text", packedBytes, raw.length())
                .isLessThan(raw.length() / 5);

        assertThat(raw.lines().count()).isEqualTo(LINES);
        assertThat(raw.lines().toList().get(LINES - 1)).isEqualTo(expectedLine(LINES));
        JsonNode page = p.admin().get(p.path("/tasks/" + task + "/output?offset=4990&limit=20")).json();
        assertThat(page.size()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(page.get(i).get("id").asLong()).isEqualTo(4991 + i);
            assertThat(page.get(i).get("output").asText()).isEqualTo(expectedLine(4991 + i));
        }
        assertThat(p.output(task)).hasSize(LINES).endsWith(expectedLine(LINES));
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void readersSeeEveryLineOnceWhileTwoProcessesCompactTheSameTask(Dialect dialect) throws Exception {
        TestServer server = TestServers.of(dialect);
        ProjectFixture p = ProjectFixture.create(server, "CompactionRace");
        long task = runNoisyTask(p);
        // As if the compaction after the end had not run yet (another process or an earlier version ended it).
        server.services().compaction().compact(task);
        List<String> expected = p.output(task);
        server.services().db().txRun(h -> {
            h.createUpdate("DELETE FROM task_output_packed WHERE task_id = :t").bind("t", task).execute();
            int line = 1;
            for (int from = 0; from < expected.size(); from += 1000) {
                StringBuilder content = new StringBuilder();
                for (int i = from; i < Math.min(from + 1000, expected.size()); i++) {
                    content.append(i > from ? "\n" : "").append("1700000000000\t").append(expected.get(i));
                }
                h.createUpdate("INSERT INTO task_output (task_id, first_line, line_count, content)"
                                + " VALUES (:t, :f, :c, :content)").bind("t", task).bind("f", line)
                        .bind("c", Math.min(1000, expected.size() - from)).bind("content", content.toString()).execute();
                line += 1000;
            }
        });

        AtomicBoolean compacting = new AtomicBoolean(true);
        CompletableFuture<List<Integer>> reads = CompletableFuture.supplyAsync(() -> {
            List<Integer> sizes = new ArrayList<>();
            while (compacting.get()) {
                List<String> seen = p.output(task);
                assertThat(seen).isEqualTo(expected);
                sizes.add(seen.size());
            }
            return sizes;
        });
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> compactGivingWay(server, task));
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> compactGivingWay(server, task));
        int chunks = first.get() + second.get();
        server.services().compaction().compact(task);
        compacting.set(false);
        assertThat(reads.get()).as("every read during the compaction had every line once").isNotEmpty();
        assertThat(chunks).as("the two wrote three chunks between them").isLessThanOrEqualTo(3);
        assertThat(rows(server, "task_output", task)).isZero();
        assertThat(rows(server, "task_output_packed", task)).isEqualTo(3);
        assertThat(p.output(task)).isEqualTo(expected);
    }

    /** Compacts as a second process would: a collision with the other one ends its turn. */
    private static int compactGivingWay(TestServer server, long task) {
        try {
            return server.services().compaction().compact(task);
        } catch (RuntimeException collided) {
            return 0;
        }
    }

    private static long runNoisyTask(ProjectFixture p) throws Exception {
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "compaction");
        Files.writeString(repo.resolve("noisy.sh"), """
                for i in $(seq 1 %d); do
                  printf 'TASK [role : step %%d] ***\\nok: [host-%%d.example.com] => {"changed": false, "item": %%d}\\n' \
                    $i $((i %% 17)) $i
                done | head -n %d
                """.formatted(LINES, LINES));
        long template = p.bashTemplate(repo, "noisy.sh", Map.of());
        long task = p.run(template, Map.of()).get("id").asLong();
        JsonNode done = p.await(task, 60_000, "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("success");
        return task;
    }

    /** Line {@code n} (from 1) of what the noisy script prints. */
    private static String expectedLine(int n) {
        int i = (n + 1) / 2;
        return n % 2 == 1 ? "TASK [role : step " + i + "] ***"
                : "ok: [host-" + (i % 17) + ".example.com] => {\"changed\": false, \"item\": " + i + "}";
    }

    private static long rows(TestServer server, String table, long task) {
        return server.services().db().read(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE task_id = :t")
                .bind("t", task).mapTo(Long.class).one());
    }
}
