package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The version before this one, built from this checkout's git history (once) for the rolling-upgrade test. */
final class PreviousVersion {
    /**
     * The last landed version whose schema is older than this build's (its newest migration is V30; this
     * build adds V31). Move it on when a release adds migrations, so the test always spans one.
     */
    static final String COMMIT = "a6bd40e2bbbdfd1db73970aecfb4714a7663b396";

    private PreviousVersion() {
    }

    /** The previous version's jar, built without its web UI (the test talks to the API). */
    static synchronized Path jar() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path source = root.resolve("target/previous-version/" + COMMIT.substring(0, 12));
        Path jar = source.resolve("target/semaphore.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Process known = new ProcessBuilder("git", "-C", root.toString(), "cat-file", "-e", COMMIT + "^{commit}")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(known.waitFor() == 0, "the rolling-upgrade test builds the previous version from git"
                + " history, and this checkout does not hold commit " + COMMIT);
        if (Files.exists(source)) {
            try (Stream<Path> old = Files.walk(source)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(source);
        Path log = source.getParent().resolve("build.log");
        run(root, log, "bash", "-c", "git archive " + COMMIT + " | tar -x -C '" + source + "'");
        run(source, log, "bash", "mvnw", "-B", "-q", "-Dmaven.test.skip=true", "-Dskip.web", "-Dskip.e2e", "package");
        assertThat(jar).as("the previous version's jar (build log: %s)", log).exists();
        return jar;
    }

    private static void run(Path dir, Path log, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("%s (log: %s)", String.join(" ", command), log).isZero();
    }
}
