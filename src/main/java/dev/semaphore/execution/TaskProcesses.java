package dev.semaphore.execution;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every process of one task, found however it was started: the task's own cgroup (v2) where this
 * server may make one (root, or a delegated subtree), which holds even a child that calls
 * {@code setsid} or forks twice; else the process group of each command's session (every command
 * starts as a session leader through {@code setsid}) and the descendants of its launcher. A stop
 * signals all of them at once; {@link #gone} says when none is left.
 */
public final class TaskProcesses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskProcesses.class);
    private static final Path PROC = Path.of("/proc");
    private static final Optional<Path> CGROUP_PARENT = cgroupParent();

    private final Path cgroup;
    private final Set<Long> groups = ConcurrentHashMap.newKeySet();
    private final Set<ProcessHandle> launchers = ConcurrentHashMap.newKeySet();

    private TaskProcesses(Path cgroup) {
        this.cgroup = cgroup;
    }

    /** The processes of task {@code taskId}, in a cgroup of their own when this server may make one. */
    public static TaskProcesses open(long taskId) {
        if (CGROUP_PARENT.isPresent()) {
            Path dir = CGROUP_PARENT.get().resolve("task-" + taskId + "-" + Long.toHexString(System.nanoTime()));
            try {
                Files.createDirectory(dir);
                return new TaskProcesses(dir);
            } catch (IOException e) {
                LOG.warn("cannot make a cgroup for task {} ({}): its processes are found by process group", taskId,
                        e.getMessage());
            }
        }
        return new TaskProcesses(null);
    }

    /**
     * Where this server makes tasks' cgroups: a folder beside its own cgroup in the cgroup v2 hierarchy,
     * when it can write there; empty otherwise (no cgroup v2, not root, nothing delegated).
     */
    private static Optional<Path> cgroupParent() {
        try {
            Path mount = null;
            for (String line : Files.readAllLines(PROC.resolve("self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                    mount = Path.of(halves[0].split(" ")[4]);
                    break;
                }
            }
            String own = null;
            for (String line : Files.readAllLines(PROC.resolve("self/cgroup"))) {
                if (line.startsWith("0::")) {
                    own = line.substring(3);
                }
            }
            if (mount == null || own == null) {
                return Optional.empty();
            }
            Path parent = mount.resolve(own.replaceFirst("^/", "")).resolve("semaphore-tasks");
            Files.createDirectories(parent);
            Path probe = Files.createDirectory(parent.resolve("probe-" + ProcessHandle.current().pid()));
            boolean usable = Files.exists(probe.resolve("cgroup.procs")) && Files.isWritable(probe.resolve("cgroup.procs"));
            Files.delete(probe);
            return usable ? Optional.of(parent) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The cgroup this task's processes join, or null when they have none. */
    public Path cgroup() {
        return cgroup;
    }

    /**
     * {@code command} made to join the task's cgroup first, before it starts anything (a shell that
     * writes its own pid there, then becomes the command).
     */
    public List<String> joining(List<String> command) {
        if (cgroup == null) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroup.toString()));
        full.addAll(command);
        return full;
    }

    /**
     * A command of the task was started through a launcher that makes a session: its first child is the
     * session leader, whose process group the command's processes share.
     */
    public void started(Process launcher) {
        ProcessHandle handle = launcher.toHandle();
        launchers.add(handle);
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (System.nanoTime() < deadline && handle.isAlive()) {
            Optional<ProcessHandle> leader = handle.children().findFirst();
            if (leader.isPresent()) {
                groups.add(leader.get().pid());
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What a restarted server needs to end what is left of this task: its cgroup, else its process groups. */
    public String describe() {
        if (cgroup != null) {
            return "cgroup:" + cgroup;
        }
        return groups.isEmpty() ? null : "pgid:" + String.join(",", groups.stream().map(String::valueOf).toList());
    }

    /** Signals every process of the task: SIGTERM, or SIGKILL when {@code kill}. */
    public void signal(boolean kill) {
        if (cgroup != null && kill) {
            try {
                Files.writeString(cgroup.resolve("cgroup.kill"), "1");
            } catch (IOException e) {
                LOG.debug("cgroup.kill of {} failed: {}", cgroup, e.getMessage());
            }
        }
        for (ProcessHandle process : members()) {
            if (kill) {
                process.destroyForcibly();
            } else if (!launcherPart(process)) {
                process.destroy();
            }
        }
    }

    /**
     * A launcher ({@code setsid --wait}) and the {@code unshare} it may run end when the command they
     * wait for ends; a SIGTERM would end them at once, cutting the command's output and status short
     * (and {@code unshare --kill-child} would take the whole PID namespace with it, without a grace).
     */
    private boolean launcherPart(ProcessHandle process) {
        if (launchers.contains(process)) {
            return true;
        }
        String command = process.info().command().orElse("");
        return (command.endsWith("/unshare") || command.endsWith("/setsid"))
                && process.parent().map(launchers::contains).orElse(false);
    }

    /** Whether no process of the task is left. */
    public boolean gone() {
        return members().isEmpty();
    }

    /**
     * Waits up to {@code grace} for the task's processes to end after a SIGTERM, then kills what is left
     * and waits (a few seconds at most) until it is gone. True when nothing is left.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        signal(false);
        if (!awaitGone(grace)) {
            signal(true);
            return awaitGone(Duration.ofSeconds(5));
        }
        return true;
    }

    /** Kills every process of the task at once, and waits (a few seconds at most) until none is left. */
    public boolean kill() throws InterruptedException {
        signal(true);
        return awaitGone(Duration.ofSeconds(5));
    }

    public boolean awaitGone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!gone()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Every live process of the task. */
    public Stream<ProcessHandle> all() {
        return members().stream();
    }

    /** Every live process of the task: its cgroup's, else its process groups' and its launchers' descendants. */
    List<ProcessHandle> members() {
        Set<Long> seen = new HashSet<>();
        List<ProcessHandle> out = new ArrayList<>();
        if (cgroup != null) {
            // The cgroup holds every process of the task: no need to read all of /proc for process groups.
            cgroupPids(cgroup).forEach(pid -> ProcessHandle.of(pid).filter(p -> seen.add(pid)).ifPresent(out::add));
        } else if (!groups.isEmpty()) {
            groupMembers(groups).forEach(p -> {
                if (seen.add(p.pid())) {
                    out.add(p);
                }
            });
        }
        for (ProcessHandle launcher : cgroup != null ? Set.<ProcessHandle>of() : launchers) {
            Stream.concat(Stream.of(launcher), launcher.descendants()).filter(ProcessHandle::isAlive).forEach(p -> {
                if (seen.add(p.pid())) {
                    out.add(p);
                }
            });
        }
        out.removeIf(p -> !p.isAlive() || zombie(p.pid()));
        return out;
    }

    private static List<Long> cgroupPids(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                    .map(l -> Long.parseLong(l.strip())).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Processes whose process group is one of {@code groups}, read from /proc. */
    static List<ProcessHandle> groupMembers(Set<Long> groups) {
        List<ProcessHandle> out = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : all) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields.length > 2 && groups.contains(Long.parseLong(fields[2]))) {
                    ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).ifPresent(out::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read process groups from /proc: {}", e.getMessage());
        }
        return out;
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Ends what a task of a server that died left running, from what {@link #describe} said: its cgroup
     * killed (and removed), or every process of its process groups that still carries the task's id.
     */
    public static void endLeftovers(String described, long taskId) {
        if (described == null) {
            return;
        }
        if (described.startsWith("cgroup:")) {
            Path dir = Path.of(described.substring("cgroup:".length()));
            if (Files.isDirectory(dir) && CGROUP_PARENT.map(dir::startsWith).orElse(false)) {
                TaskProcesses left = new TaskProcesses(dir);
                try {
                    left.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                left.close();
            }
        } else if (described.startsWith("pgid:")) {
            Set<Long> groups = new HashSet<>();
            for (String pgid : described.substring("pgid:".length()).split(",")) {
                groups.add(Long.parseLong(pgid.strip()));
            }
            // A number may have been given to someone else's group since: only the task's own processes go.
            String marker = "SEMAPHORE_TASK_ID=" + taskId;
            groupMembers(groups).stream().filter(p -> environ(p.pid()).contains(marker))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<String> environ(long pid) {
        try {
            return List.of(Files.readString(PROC.resolve(Long.toString(pid)).resolve("environ")).split("\u0000"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Removes the task's cgroup (empty by then; a kernel refuses to remove one that is not). */
    @Override
    public void close() {
        if (cgroup == null) {
            return;
        }
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(cgroup);
                return;
            } catch (IOException busy) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.warn("the cgroup {} of a task could not be removed", cgroup);
    }
}
