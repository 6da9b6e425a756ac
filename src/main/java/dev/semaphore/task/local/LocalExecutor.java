package dev.semaphore.task.local;

import dev.semaphore.app.Apps;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.execution.ProcessIsolation;
import dev.semaphore.task.job.Executor;
import dev.semaphore.task.job.JobHooks;
import dev.semaphore.task.job.JobOutput;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.task.job.StateBackend;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs jobs as processes of this server, each in a private directory under {@code tmp}. */
public final class LocalExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

    private final Path tmp;
    private final StateBackend terraform;
    private final Apps apps;
    private final ProcessIsolation isolation;
    private final Limits limits;
    private final Map<Long, LocalJob> jobs = new ConcurrentHashMap<>();

    /**
     * How long a job waits on others: a clone on a remote that says nothing ({@code git_timeout_sec}), a
     * stopped task's processes for their SIGTERM before SIGKILL ({@code task_stop_grace_sec}).
     */
    public record Limits(int gitStallSeconds, java.time.Duration stopGrace) {
    }

    /**
     * @param tmp where task directories go
     * @param terraform the state backend Terraform runs with {@code override_backend} talk to
     * @param apps the programs and arguments of shell apps
     * @param isolation who task processes run as, and in which namespaces
     */
    public LocalExecutor(Path tmp, StateBackend terraform, Apps apps, ProcessIsolation isolation, Limits limits) {
        this.limits = limits;
        this.tmp = tmp;
        this.terraform = terraform;
        this.apps = apps;
        this.isolation = isolation;
    }

    /**
     * A server killed outright leaves its tasks' directories: inventories, passwords, vault keys. The
     * folder they go in is made once here, and with a task user made one it can pass through, not list.
     */
    @Override
    public void start() {
        try {
            isolation.enterOnly(java.nio.file.Files.createDirectories(tmp));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + tmp, e);
        }
        Path sockets = isolation.socketRoot();
        int swept = PrivateDirectory.sweep(tmp, true) + PrivateDirectory.sweep(sockets, false)
                + (sockets.equals(PrivateDirectory.SOCKETS) ? 0 : PrivateDirectory.sweep(PrivateDirectory.SOCKETS, false));
        if (swept > 0) {
            LOG.warn("removed {} private director{} left by a server that stopped", swept, swept == 1 ? "y" : "ies");
        }
    }

    /** The limits the configuration sets. */
    public static Limits limits(dev.semaphore.config.Config config) {
        return new Limits(config.integer(dev.semaphore.config.ConfigKeys.GIT_TIMEOUT_SEC),
                java.time.Duration.ofSeconds(config.integer(dev.semaphore.config.ConfigKeys.TASK_STOP_GRACE_SEC)));
    }

    @Override
    public JobResult run(JobSpec spec, JobOutput output, JobHooks hooks) throws InterruptedException {
        long id = spec.task().id();
        LocalJob job = new LocalJob(spec, tmp, terraform, apps, isolation, limits);
        jobs.put(id, job);
        try {
            return job.run(output, hooks);
        } finally {
            jobs.remove(id);
        }
    }

    @Override
    public boolean kill(long taskId, boolean force) {
        LocalJob job = jobs.get(taskId);
        if (job == null) {
            return false;
        }
        job.kill(force);
        return true;
    }

    @Override
    public boolean decide(long taskId, boolean confirmed) {
        LocalJob job = jobs.get(taskId);
        return job != null && job.decide(confirmed);
    }

    /**
     * Ends what a task of a server that died left running: its launcher with all it started, only when
     * the pid still names the same process (same start time), never a stranger that reused the pid; and
     * every process of the task's cgroup or process groups, wherever they went.
     */
    @Override
    public void endLeftover(long taskId, long pid, String started, String group) {
        ProcessHandle.of(pid).filter(p -> sameStart(pid, started)).ifPresent(process -> {
            LOG.warn("ending process {} left running by a task of a server that stopped", process.pid());
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
        dev.semaphore.execution.TaskProcesses.endLeftovers(group, taskId);
    }

    /**
     * How a task's launcher is named beside its pid, so that a later server knows it from a process given the pid
     * since: the kernel's start tick ({@code tick:<n>}), exact; a JVM's start instant is not (it adds a boot time
     * each JVM reads anew, which may differ by a second), and only rows of older versions hold one.
     */
    static String startOf(long pid) {
        return dev.semaphore.execution.ProcessStart.ticks(pid).stream().mapToObj(t -> "tick:" + t).findFirst()
                .orElseGet(() -> ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toString)
                        .orElse(""));
    }

    private static boolean sameStart(long pid, String started) {
        if (started == null || started.isEmpty()) {
            return false;
        }
        if (started.startsWith("tick:")) {
            return startOf(pid).equals(started);
        }
        try {
            Instant recorded = Instant.parse(started);
            return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                    .map(now -> java.time.Duration.between(recorded, now).abs().getSeconds() <= 2).orElse(false);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
