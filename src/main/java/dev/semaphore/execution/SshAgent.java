package dev.semaphore.execution;

import dev.semaphore.secret.KeySecret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH agent holding one key, fed through {@code ssh-add -} on stdin so the key never
 * touches the disk. Its socket lives in a private directory of its own under the system's temporary
 * directory (a unix socket path must stay under 108 bytes, which a task's directory can exceed);
 * closing ends the agent and removes the directory.
 */
public final class SshAgent implements AutoCloseable {
    private final PrivateDirectory dir;
    private final Process agent;
    private final Path socket;

    public SshAgent(KeySecret.Ssh key) {
        this(key, ProcessIsolation.NONE);
    }

    /** An agent of the task user's: ssh-agent answers only its own user (and root). */
    public SshAgent(KeySecret.Ssh key, ProcessIsolation user) {
        this.dir = new PrivateDirectory(user.socketRoot(), "semaphore-ssh-", user);
        this.socket = dir.path().resolve("agent.sock");
        try {
            // The agent lives while this server holds the pipe to its shell's stdin: if the server is
            // killed outright, the pipe closes and the shell ends the agent with the key it holds.
            agent = user.asTaskUser(List.of("sh", "-c", "ssh-agent -D -a \"$1\" & agent=$!; cat >/dev/null;"
                            + " kill $agent", "sh", socket.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            dir.close();
            throw new IllegalStateException("cannot start ssh-agent: " + e.getMessage(), e);
        }
        try {
            for (int i = 0; i < 200 && !Files.exists(socket); i++) {
                Thread.sleep(10);
            }
            if (!Files.exists(socket)) {
                throw new IllegalStateException("ssh-agent did not start");
            }
            add(key);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The value for {@code SSH_AUTH_SOCK}. */
    public String socket() {
        return socket.toString();
    }

    /** Adds another key; a key the agent holds already is not held twice. */
    public void add(KeySecret.Ssh key) throws InterruptedException {
        ProcessBuilder add = ChildProcesses.builder("ssh-add", "-").redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        if (key.passphrase() != null && !key.passphrase().isEmpty()) {
            add.environment().put("SSH_ASKPASS", dir.script("ssh-askpass",
                    "#!/bin/sh\nprintf '%s\\n' \"$SEMAPHORE_SSH_PASSPHRASE\"\n").toString());
            add.environment().put("SSH_ASKPASS_REQUIRE", "force");
            add.environment().put("SEMAPHORE_SSH_PASSPHRASE", key.passphrase());
        }
        try {
            Process adding = add.start();
            try (OutputStream in = adding.getOutputStream()) {
                String text = key.privateKey().endsWith("\n") ? key.privateKey() : key.privateKey() + "\n";
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!adding.waitFor(30, TimeUnit.SECONDS) || adding.exitValue() != 0) {
                throw new IllegalStateException("ssh-add refused the key: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ssh-add: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            agent.getOutputStream().close();
        } catch (IOException e) {
            // the shell is gone already
        }
        agent.descendants().forEach(ProcessHandle::destroy);
        agent.destroy();
        try {
            // The agent removes its socket as it exits; the directory goes after it.
            agent.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dir.close();
    }
}
