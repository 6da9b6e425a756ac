package dev.semaphore.execution;

import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigException;
import dev.semaphore.config.ConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who task processes run as and what they see (upstream's {@code process.*}): another Unix user
 * through {@code setpriv}, optionally {@code no_new_privs}, and Linux namespaces through
 * {@code unshare}. With another user, everything a task is given (its directory, key files, agent
 * sockets) is handed to that user, and the directories holding several tasks' folders can be
 * entered but not listed, so a task reaches only its own.
 */
public final class ProcessIsolation {
    /** Tasks run as the server's own user, in the server's namespaces: upstream's default. */
    public static final ProcessIsolation NONE = new ProcessIsolation(-1, -1, null, null, false, Set.of());

    /** A session of its own, so the server is not the task's parent and /proc/$PPID shows nothing of it. */
    private static final List<String> SESSION = List.of("setsid", "--fork", "--wait");
    /**
     * The first process of a task's PID namespace. The kernel drops a signal to that process unless
     * it handles it, and orphans become its children: this one passes a stop on to every process of
     * the task, reaps orphans (such as SSH's connection masters) and ends with the command's status.
     */
    private static final String INIT = "\"$@\" & child=$!; trap 'kill -TERM -1 2>/dev/null' TERM INT HUP;"
            + " wait $child; rc=$?; while kill -0 $child 2>/dev/null; do wait $child; rc=$?; done; exit $rc";
    private static final Set<PosixFilePermission> ENTER_ONLY = PosixFilePermissions.fromString("rwx--x--x");

    private final int uid;
    private final int gid;
    private final String user;
    private final Path home;
    private final boolean noNewPrivs;
    private final Set<Namespace> namespaces;

    /** The Linux namespaces a task can get, as upstream's {@code process.app_namespaces} names them. */
    public enum Namespace { PID, MOUNT, IPC, UTS }

    /**
     * @param uid the task user's id, or -1 for the server's own
     * @param gid the task user's group, or -1 for the server's own
     * @param user the task user's name (its supplementary groups apply), or null
     * @param home the task user's home directory, when it has one
     */
    public ProcessIsolation(int uid, int gid, String user, Path home, boolean noNewPrivs, Set<Namespace> namespaces) {
        this.uid = uid;
        this.gid = gid;
        this.user = user;
        this.home = home;
        this.noNewPrivs = noNewPrivs;
        this.namespaces = Set.copyOf(namespaces);
    }

    /**
     * The isolation the configuration asks for, tried once: a server that cannot start a task that
     * way, or whose config file the task user could read, refuses to start and says why.
     */
    public static ProcessIsolation of(Config config) {
        String name = config.string(ConfigKeys.PROCESS_USER);
        int uid = config.integer(ConfigKeys.PROCESS_UID);
        int gid = config.integer(ConfigKeys.PROCESS_GID);
        String user = null;
        String[] entry = null;
        if (!name.isEmpty()) {
            entry = passwd(name);
            if (entry == null) {
                throw new ConfigException("process.user: there is no user named " + name + " on this machine");
            }
            user = name;
            uid = Integer.parseInt(entry[2]);
            gid = gid > 0 ? gid : Integer.parseInt(entry[3]);
        } else if (uid > 0) {
            entry = passwd(Integer.toString(uid));
            user = entry == null ? null : entry[0];
            gid = gid > 0 ? gid : entry == null ? uid : Integer.parseInt(entry[3]);
        } else if (gid > 0) {
            throw new ConfigException("process.gid needs process.user or process.uid");
        } else {
            uid = -1;
            gid = -1;
        }
        Set<Namespace> namespaces = java.util.EnumSet.noneOf(Namespace.class);
        Boolean pid = config.boolOrNull(ConfigKeys.PROCESS_NS_PID);
        // Tasks of one user could otherwise read each other's files through /proc/<pid>/cwd.
        if (pid == null ? uid >= 0 : pid) {
            namespaces.add(Namespace.PID);
        }
        if (config.bool(ConfigKeys.PROCESS_NS_MOUNT)) {
            namespaces.add(Namespace.MOUNT);
        }
        if (config.bool(ConfigKeys.PROCESS_NS_IPC)) {
            namespaces.add(Namespace.IPC);
        }
        if (config.bool(ConfigKeys.PROCESS_NS_UTS)) {
            namespaces.add(Namespace.UTS);
        }
        Path home = entry != null && entry.length > 5 && Files.isDirectory(Path.of(entry[5])) ? Path.of(entry[5]) : null;
        ProcessIsolation isolation = new ProcessIsolation(uid, gid, user, home,
                config.bool(ConfigKeys.PROCESS_NO_NEW_PRIVS), namespaces);
        if (isolation.otherUser()) {
            config.file().ifPresent(isolation::refuseReadable);
        }
        if (isolation.otherUser() || isolation.noNewPrivs || !namespaces.isEmpty()) {
            String seen;
            try {
                seen = isolation.probe();
            } catch (IllegalStateException e) {
                throw new ConfigException("tasks cannot be started as process.* asks (" + isolation + "): "
                        + e.getMessage() + (isolation.otherUser() ? "; the server must run as root to start them"
                        + " as another user" : ""));
            }
            if (isolation.otherUser() && !seen.equals(Integer.toString(uid))) {
                throw new ConfigException("a trial task process ran as uid " + seen + ", not " + uid);
            }
        }
        return isolation;
    }

    /** The server's config holds its keys: a task user able to read it would make the isolation void. */
    private void refuseReadable(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            int group = (Integer) Files.getAttribute(file, "unix:gid");
            if (mode.contains(PosixFilePermission.OTHERS_READ)
                    || mode.contains(PosixFilePermission.GROUP_READ) && group == gid) {
                throw new ConfigException(file + " can be read by the task user (" + this + ", mode "
                        + PosixFilePermissions.toString(mode) + "): its keys would be open to every task; chmod 600 "
                        + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file, e);
        }
    }

    /** The fields of a passwd entry (name, password, uid, gid, ...) through NSS, or null. */
    private static String[] passwd(String nameOrId) {
        try {
            Process getent = ChildProcesses.builder("getent", "passwd", nameOrId).redirectErrorStream(false).start();
            String line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            getent.waitFor(10, TimeUnit.SECONDS);
            String[] fields = line.split(":");
            return getent.exitValue() == 0 && fields.length >= 4 ? fields : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run getent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when tasks run as a user other than the server's. */
    public boolean otherUser() {
        return uid >= 0;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public Set<Namespace> namespaces() {
        return namespaces;
    }

    /**
     * A builder for a task's process: {@code command} with only {@code env}, in a session of its own
     * (through {@code setsid}, so the server is not its parent), as the task user, in the namespaces.
     */
    public ProcessBuilder launched(List<String> command, Map<String, String> env) {
        return launched(command, env, null);
    }

    /**
     * As {@link #launched(List, Map)}; with {@code taskFolder}, in a task's own namespaces as another
     * user, that folder is mounted over the user's home: what tools keep under {@code ~user} (Ansible's
     * {@code ~/.ansible/tmp} for local connections, which it finds through the user's entry, not
     * {@code HOME}) stays the task's own instead of being shared by every task of the user.
     */
    public ProcessBuilder launched(List<String> command, Map<String, String> env, Path taskFolder) {
        List<String> full = new ArrayList<>();
        if (namespaces.contains(Namespace.PID)) {
            full.addAll(SESSION);
            full.addAll(List.of("unshare", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc"));
            full.addAll(otherNamespaceFlags());
            full.add("--");
            if (taskFolder != null && home != null && otherUser()) {
                // still root, in the task's mount namespace: nobody else sees this mount
                full.addAll(List.of("sh", "-c", "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "home",
                        taskFolder.toString(), home.toString()));
            }
            full.addAll(userSwitch());
            full.addAll(List.of("sh", "-c", INIT, "init"));
        } else {
            if (!namespaces.isEmpty()) {
                full.add("unshare");
                if (namespaces.contains(Namespace.MOUNT)) {
                    full.add("--mount");
                }
                full.addAll(otherNamespaceFlags());
                full.add("--");
            }
            full.addAll(userSwitch());
            full.addAll(SESSION);
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }

    private List<String> otherNamespaceFlags() {
        List<String> flags = new ArrayList<>();
        if (namespaces.contains(Namespace.IPC)) {
            flags.add("--ipc");
        }
        if (namespaces.contains(Namespace.UTS)) {
            flags.add("--uts");
        }
        return flags;
    }

    /** A builder for a helper that serves one task (its ssh-agent): as the task user, in the server's namespaces. */
    public ProcessBuilder asTaskUser(List<String> command) {
        List<String> full = new ArrayList<>(userSwitch());
        full.addAll(command);
        return ChildProcesses.builder(full, Map.of());
    }

    /** Hands a file or directory made for a task to the task user. */
    public void own(Path path) {
        if (!otherUser()) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to the task user (uid " + uid + ")", e);
        }
    }

    /**
     * Makes {@code dir} (where several tasks' folders live) one the task user can pass through
     * but not list: a task knows the random name of its own folder and can find no other's.
     */
    public void enterOnly(Path dir) {
        if (!otherUser()) {
            return;
        }
        try {
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            // a shared directory such as /tmp (sticky) stays as it is; the folders made in it are private
            if ((mode & 01000) == 0 && (mode & 0777) != 0711) {
                Files.setPosixFilePermissions(dir, ENTER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + dir, e);
        }
    }

    /** Where a task's unix sockets go: a short path, not listable by the task user when it is another one. */
    public Path socketRoot() {
        if (!otherUser()) {
            return PrivateDirectory.SOCKETS;
        }
        Path root = PrivateDirectory.SOCKETS.resolve("semaphore-sockets");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        enterOnly(root);
        return root;
    }

    /**
     * Starts one process the way tasks start and returns what {@code id -u} printed in it, so that a
     * server that cannot switch users or make namespaces says so at start, not at the first task.
     */
    public String probe() {
        ProcessBuilder builder = launched(List.of("id", "-u"), ChildProcesses.baseEnvironment())
                .redirectErrorStream(true);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("a trial task process did not end");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(out.isEmpty() ? "a trial task process failed" : out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a trial task process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> userSwitch() {
        if (!otherUser() && !noNewPrivs) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of("setpriv"));
        if (otherUser()) {
            command.addAll(List.of("--reuid=" + uid, "--regid=" + gid));
            command.add(user != null ? "--init-groups" : "--clear-groups");
        }
        if (noNewPrivs) {
            command.add("--no-new-privs");
        }
        command.add("--");
        return command;
    }

    @Override
    public String toString() {
        return otherUser() ? "uid " + uid + (user == null ? "" : " (" + user + ")") + ", gid " + gid
                : "the server's user";
    }
}
