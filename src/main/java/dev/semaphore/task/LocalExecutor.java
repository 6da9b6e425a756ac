package dev.semaphore.task;

import dev.semaphore.app.Apps;
import dev.semaphore.terraform.TerraformBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs jobs as processes of this server, each in a private directory under {@code tmp}. */
final class LocalExecutor implements Executor {
    private final Path tmp;
    private final TerraformBackend terraform;
    private final Apps apps;
    private final Map<Long, LocalJob> jobs = new ConcurrentHashMap<>();

    LocalExecutor(Path tmp, TerraformBackend terraform, Apps apps) {
        this.tmp = tmp;
        this.terraform = terraform;
        this.apps = apps;
    }

    @Override
    public LocalJob.Result run(JobSpec spec, LogSink sink, LocalJob.Hooks hooks) throws InterruptedException {
        long id = spec.task().id();
        LocalJob job = new LocalJob(spec, tmp, terraform, apps);
        jobs.put(id, job);
        try {
            return job.run(sink, hooks);
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
}
