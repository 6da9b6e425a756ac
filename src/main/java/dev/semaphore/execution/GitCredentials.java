package dev.semaphore.execution;

import dev.semaphore.secret.GitMapping;
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
    /**
     * Answers git's prompts: the login and secret of the first credential mapping whose URL prefix the asked URL
     * starts with (git names the whole URL: credential.useHttpPath), else the repository's own.
     */
    private static final String ASKPASS = """
            #!/bin/sh
            url=${1#*\\'}
            # git names the login it asked for in the password prompt (https://login@host/...); prefixes have none
            rest=${url#*://}
            case "${rest%%/*}" in *@*) url="${url%%://*}://${rest#*@}" ;; esac
            i=0
            while [ "$i" -lt "${SEMAPHORE_GIT_MAPPINGS:-0}" ]; do
              eval "prefix=\\$SEMAPHORE_GIT_MAP_${i}_PREFIX"
              case "$url" in
                "$prefix"*)
                  case "$1" in
                    *sername*) eval "printf '%s\\\\n' \\"\\$SEMAPHORE_GIT_MAP_${i}_LOGIN\\"" ;;
                    *) eval "printf '%s\\\\n' \\"\\$SEMAPHORE_GIT_MAP_${i}_SECRET\\"" ;;
                  esac
                  exit 0 ;;
              esac
              i=$((i + 1))
            done
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
        this(tmp, secret, user, stallSeconds, java.util.List.of());
    }

    /**
     * With the project's credential mappings (upstream's host configs): an SSH host's key is the only one offered
     * there; a URL prefix's SSH key is reached through an alias host ({@code semaphore-mapping-<id>}) the prefix is
     * rewritten to; a URL prefix's login and password answer git's prompts for the URLs under it.
     */
    public GitCredentials(Path tmp, KeySecret secret, ProcessIsolation user, int stallSeconds,
                          java.util.List<GitMapping> mappings) {
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
            if (!mappings.isEmpty()) {
                map(mappings, user);
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void map(java.util.List<GitMapping> mappings, ProcessIsolation user) throws InterruptedException {
        StringBuilder sshConfig = new StringBuilder();
        java.util.List<String[]> rewrites = new java.util.ArrayList<>();
        java.util.List<GitMapping> logins = new java.util.ArrayList<>();
        for (GitMapping mapping : mappings) {
            if (mapping.secret() instanceof KeySecret.Ssh ssh) {
                if (agent == null) {
                    agent = new SshAgent(ssh, user);
                    env.put("SSH_AUTH_SOCK", agent.socket());
                } else {
                    agent.add(ssh);
                }
                String publicKey = dir.script("mapping_" + mapping.id() + ".pub", SshPublicKey.of(ssh) + "\n").toString();
                SshTarget target = SshTarget.of(mapping);
                if (target == null) {
                    continue;
                }
                sshConfig.append("Host ").append(target.alias()).append("\n  HostName ").append(target.host())
                        .append(target.port() == null ? "" : "\n  Port " + target.port())
                        .append(target.user() == null ? "" : "\n  User " + target.user())
                        .append("\n  IdentityFile ").append(publicKey).append("\n  IdentitiesOnly yes\n");
                if (target.rewrittenPrefix() != null) {
                    rewrites.add(new String[] {target.rewrittenPrefix(), mapping.host()});
                }
            } else if (mapping.secret() instanceof KeySecret.LoginPassword && mapping.type().equals("url")) {
                logins.add(mapping);
            }
        }
        if (!sshConfig.isEmpty()) {
            String config = dir.secretFile("ssh_config", sshConfig.toString()).toString();
            env.put("GIT_SSH_COMMAND", env.get("GIT_SSH_COMMAND") + " -F " + config);
        }
        // the longest prefix first: the most particular mapping wins
        logins.sort(java.util.Comparator.comparingInt((GitMapping m) -> m.host().length()).reversed());
        if (!logins.isEmpty()) {
            env.putIfAbsent("GIT_ASKPASS", dir.script("askpass", ASKPASS).toString());
            env.put("SEMAPHORE_GIT_MAPPINGS", Integer.toString(logins.size()));
            for (int i = 0; i < logins.size(); i++) {
                KeySecret.LoginPassword lp = (KeySecret.LoginPassword) logins.get(i).secret();
                env.put("SEMAPHORE_GIT_MAP_" + i + "_PREFIX", logins.get(i).host());
                env.put("SEMAPHORE_GIT_MAP_" + i + "_LOGIN", lp.login() == null ? "" : lp.login());
                env.put("SEMAPHORE_GIT_MAP_" + i + "_SECRET", lp.password());
            }
            rewrites.add(new String[] {null, null});
        }
        // git's settings by environment (git 2.31+): the prefixes' rewrites, and whole URLs in prompts
        java.util.List<String[]> settings = new java.util.ArrayList<>();
        for (String[] rewrite : rewrites) {
            if (rewrite[0] == null) {
                settings.add(new String[] {"credential.useHttpPath", "true"});
            } else {
                settings.add(new String[] {"url." + rewrite[0] + ".insteadOf", rewrite[1]});
            }
        }
        if (!settings.isEmpty()) {
            env.put("GIT_CONFIG_COUNT", Integer.toString(settings.size()));
            for (int i = 0; i < settings.size(); i++) {
                env.put("GIT_CONFIG_KEY_" + i, settings.get(i)[0]);
                env.put("GIT_CONFIG_VALUE_" + i, settings.get(i)[1]);
            }
        }
    }

    /**
     * Where a mapping's SSH key is offered: the host itself (type host), or an alias host a URL prefix is rewritten
     * to (type url: {@code user@host:path} or {@code ssh://user@host:port/path}); null for a prefix ssh does not use.
     */
    private record SshTarget(String alias, String host, String port, String user, String rewrittenPrefix) {
        static SshTarget of(GitMapping mapping) {
            String host = mapping.host();
            if (mapping.type().equals("host")) {
                int colon = host.indexOf(':');
                return colon < 0 ? new SshTarget(host, host, null, null, null)
                        : new SshTarget(host.substring(0, colon), host.substring(0, colon), host.substring(colon + 1),
                        null, null);
            }
            String alias = "semaphore-mapping-" + mapping.id();
            java.util.regex.Matcher scp = java.util.regex.Pattern.compile("([^@/]+)@([^:/]+):(.*)").matcher(host);
            if (!host.contains("://") && scp.matches()) {
                return new SshTarget(alias, scp.group(2), null, scp.group(1),
                        scp.group(1) + "@" + alias + ":" + scp.group(3));
            }
            java.util.regex.Matcher url = java.util.regex.Pattern.compile("ssh://(?:([^@/]+)@)?([^:/]+)(?::(\\d+))?(/.*)?")
                    .matcher(host);
            if (url.matches()) {
                String user = url.group(1);
                return new SshTarget(alias, url.group(2), url.group(3), user, "ssh://" + (user == null ? "" : user + "@")
                        + alias + (url.group(4) == null ? "" : url.group(4)));
            }
            return null; // an https prefix with an SSH key: nothing ssh can do with it
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
