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
    private final int gitStallSeconds;
    private final Map<Long, LocalJob> jobs = new ConcurrentHashMap<>();

    /**
     * @param tmp where task directories go
     * @param terraform the state backend Terraform runs with {@code override_backend} talk to
     * @param apps the programs and arguments of shell apps
     * @param isolation who task processes run as, and in which namespaces
     * @param gitStallSeconds git_timeout_sec: how long a clone may wait on a remote that says nothing
     */
    public LocalExecutor(Path tmp, StateBackend terraform, Apps apps, ProcessIsolation isolation,
                         int gitStallSeconds) {
        this.gitStallSeconds = gitStallSeconds;
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

    @Override
    public JobResult run(JobSpec spec, JobOutput output, JobHooks hooks) throws InterruptedException {
        long id = spec.task().id();
        LocalJob job = new LocalJob(spec, tmp, terraform, apps, isolation, gitStallSeconds);
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

    /** Ended, with all it started, only when the pid still names the same process (same start time), never a stranger that reused the pid. */
    @Override
    public void endLeftover(long pid, String started) {
        ProcessHandle.of(pid).filter(p -> p.info().startInstant().map(Instant::toString).orElse("")
                .equals(started)).ifPresent(process -> {
            LOG.warn("ending process {} left running by a task of a server that stopped", process.pid());
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
    }
}
