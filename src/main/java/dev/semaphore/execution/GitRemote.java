package dev.semaphore.execution;

import dev.semaphore.secret.KeySecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a remote repository about itself with the git command, using the repository's key. */
public final class GitRemote {
    private final Path tmp;
    private final long timeoutSeconds;

    /** @param timeoutSeconds bounds a whole question: connecting, authenticating and the answer */
    public GitRemote(Path tmp, long timeoutSeconds) {
        this.tmp = tmp;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Branch names of the remote, sorted as git lists them. */
    public List<String> branches(String url, KeySecret secret) {
        return List.copyOf(heads(url, secret).keySet());
    }

    /** Each branch of the remote with the commit it points at, in git's order. */
    public java.util.Map<String, String> heads(String url, KeySecret secret) {
        try (GitCredentials credentials = new GitCredentials(tmp, secret, (int) timeoutSeconds)) {
            // "--" ends options: the URL is never read as one, whatever it holds.
            ProcessBuilder git = ChildProcesses.builder(List.of("git", "ls-remote", "--heads", "--", url),
                    credentials.environment()).redirectErrorStream(false);
            Process process = git.start();
            process.getOutputStream().close();
            // Read on the side: a host that never answers keeps the pipes open, and the wait must still end.
            CompletableFuture<String> out = readAll(process.getInputStream());
            CompletableFuture<String> err = readAll(process.getErrorStream());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new GitException("git ls-remote did not finish within " + timeoutSeconds
                        + " s (git_timeout_sec); it was ended");
            }
            if (process.exitValue() != 0) {
                throw new GitException("git ls-remote failed: " + firstLine(err.join()));
            }
            java.util.Map<String, String> heads = new java.util.LinkedHashMap<>();
            for (String line : out.join().split("\n")) {
                int ref = line.indexOf("refs/heads/");
                if (ref >= 0) {
                    heads.put(line.substring(ref + "refs/heads/".length()).strip(), line.substring(0, ref).strip());
                }
            }
            return heads;
        } catch (IOException e) {
            throw new GitException("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted");
        }
    }

    private static CompletableFuture<String> readAll(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, command -> Thread.ofVirtual().start(command));
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
