package dev.semaphore.execution;

import dev.semaphore.secret.KeySecret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
    private SshAgent agent;

    public GitCredentials(Path tmp, KeySecret secret, int stallSeconds) {
        this(tmp, secret, ProcessIsolation.NONE, stallSeconds);
    }

    /**
     * Credentials for a git that runs as {@code user}'s task user.
     *
     * @param stallSeconds how long git and ssh may wait on a silent remote (git_timeout_sec): a host that
     *        never answers, or a transfer that stops, ends them; a slow transfer that moves goes on
     */
    public GitCredentials(Path tmp, KeySecret secret, ProcessIsolation user, int stallSeconds) {
        this.dir = new PrivateDirectory(tmp, "git-", user);
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        String knownHosts = dir.path().resolve("known_hosts").toString();
        env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="
                + knownHosts + " -o ConnectTimeout=" + stallSeconds + " -o ServerAliveInterval="
                + Math.max(1, stallSeconds / 3) + " -o ServerAliveCountMax=3");
        env.put("GIT_HTTP_LOW_SPEED_LIMIT", "1");
        env.put("GIT_HTTP_LOW_SPEED_TIME", Integer.toString(stallSeconds));
        try {
            switch (secret) {
                case KeySecret.LoginPassword lp -> {
                    env.put("GIT_ASKPASS", dir.script("askpass", ASKPASS).toString());
                    env.put("SEMAPHORE_GIT_LOGIN", lp.login() == null ? "" : lp.login());
                    env.put("SEMAPHORE_GIT_SECRET", lp.password());
                }
                case KeySecret.Ssh ssh -> {
                    agent = new SshAgent(ssh, user);
                    env.put("SSH_AUTH_SOCK", agent.socket());
                }
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

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        dir.close();
    }
}
