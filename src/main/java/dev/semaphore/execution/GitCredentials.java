package dev.semaphore.execution;

import dev.semaphore.secret.KeySecret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives git a repository's credentials without putting a secret on a command line or on disk:
 * HTTPS logins through an askpass helper that reads them from git's environment, SSH keys through
 * a private ssh-agent fed on stdin. Everything lives in a private directory, removed on close.
 */
public final class GitCredentials implements AutoCloseable {
    private static final String ASKPASS = """
            #!/bin/sh
            case "$1" in
              *sername*) printf '%s\\n' "$SEMAPHORE_GIT_LOGIN" ;;
              *) printf '%s\\n' "$SEMAPHORE_GIT_SECRET" ;;
            esac
            """;

    private final PrivateDirectory dir;
    private final Map<String, String> env = new HashMap<>();
    private Process agent;

    public GitCredentials(Path tmp, KeySecret secret) {
        this.dir = new PrivateDirectory(tmp, "git-");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        String knownHosts = dir.path().resolve("known_hosts").toString();
        env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="
                + knownHosts);
        try {
            switch (secret) {
                case KeySecret.LoginPassword lp -> {
                    env.put("GIT_ASKPASS", dir.script("askpass", ASKPASS).toString());
                    env.put("SEMAPHORE_GIT_LOGIN", lp.login() == null ? "" : lp.login());
                    env.put("SEMAPHORE_GIT_SECRET", lp.password());
                }
                case KeySecret.Ssh ssh -> startAgent(ssh);
                default -> {
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Variables to add to git's environment. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    private void startAgent(KeySecret.Ssh ssh) {
        Path socket = dir.path().resolve("agent.sock");
        try {
            agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 200 && !Files.exists(socket); i++) {
                Thread.sleep(10);
            }
            if (!Files.exists(socket)) {
                throw new IllegalStateException("ssh-agent did not start");
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", "-").redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            if (ssh.passphrase() != null && !ssh.passphrase().isEmpty()) {
                add.environment().put("SSH_ASKPASS", dir.script("ssh-askpass",
                        "#!/bin/sh\nprintf '%s\\n' \"$SEMAPHORE_SSH_PASSPHRASE\"\n").toString());
                add.environment().put("SSH_ASKPASS_REQUIRE", "force");
                add.environment().put("SEMAPHORE_SSH_PASSPHRASE", ssh.passphrase());
            }
            Process adding = add.start();
            try (OutputStream in = adding.getOutputStream()) {
                String key = ssh.privateKey().endsWith("\n") ? ssh.privateKey() : ssh.privateKey() + "\n";
                in.write(key.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!adding.waitFor(30, TimeUnit.SECONDS) || adding.exitValue() != 0) {
                throw new IllegalStateException("ssh-add refused the key: " + output.strip());
            }
            env.put("SSH_AUTH_SOCK", socket.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ssh-agent: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.destroy();
        }
        dir.close();
    }
}
