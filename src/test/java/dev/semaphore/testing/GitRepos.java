package dev.semaphore.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real git repositories for tests: the files of a folder committed on branch main, as users keep scripts. */
public final class GitRepos {
    private GitRepos() {
    }

    public static void commitAll(Path dir) throws Exception {
        git(dir, "init", "-q", "-b", "main");
        git(dir, "add", ".");
        git(dir, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "scripts for tests");
    }

    public static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(out);
        }
    }
}
