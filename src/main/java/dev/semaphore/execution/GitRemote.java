package dev.semaphore.execution;

import dev.semaphore.secret.KeySecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks a remote repository about itself with the git command, using the repository's key. */
public final class GitRemote {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path tmp;

    public GitRemote(Path tmp) {
        this.tmp = tmp;
    }

    /** Branch names of the remote, sorted as git lists them. */
    public List<String> branches(String url, KeySecret secret) {
        try (GitCredentials credentials = new GitCredentials(tmp, secret)) {
            // "--" ends options: the URL is never read as one, whatever it holds.
            ProcessBuilder git = new ProcessBuilder("git", "ls-remote", "--heads", "--", url).redirectErrorStream(false);
            git.environment().putAll(credentials.environment());
            Process process = git.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GitException("git ls-remote timed out after " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new GitException("git ls-remote failed: " + firstLine(err));
            }
            List<String> branches = new ArrayList<>();
            for (String line : out.split("\n")) {
                int ref = line.indexOf("refs/heads/");
                if (ref >= 0) {
                    branches.add(line.substring(ref + "refs/heads/".length()).strip());
                }
            }
            return branches;
        } catch (IOException e) {
            throw new GitException("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted");
        }
    }

    private static String firstLine(String text) {
        return text.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output").strip();
    }

    /** A git command that failed; its message is git's own first line of complaint. */
    public static final class GitException extends RuntimeException {
        GitException(String message) {
            super(message);
        }
    }
}
