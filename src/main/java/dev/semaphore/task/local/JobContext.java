package dev.semaphore.task.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskParams;
import dev.semaphore.task.job.JobOutput;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task's prepared run on this server: what it runs ({@link JobSpec}), its checkout, its private
 * directory (for key material and generated files, removed afterwards), the process environment,
 * and the job to run commands through.
 */
record JobContext(JobSpec spec, Path checkout, PrivateDirectory workspace, Map<String, String> env, JobOutput sink,
                  LocalJob job) {

    Task task() {
        return spec.task();
    }

    Template template() {
        return spec.template();
    }

    TaskParams params() {
        return spec.params();
    }

    Repository repository() {
        return spec.repository();
    }

    Inventory inventory() {
        return spec.inventory();
    }

    /** The extra variables: the group's JSON with the task's over it. */
    ObjectNode vars() {
        return spec.vars();
    }

    Map<String, String> varSecrets() {
        return spec.varSecrets();
    }

    Set<String> taskVarNames() {
        return spec.taskVarNames();
    }

    KeySecret key(Long keyId) {
        return spec.key(keyId);
    }

    /** Runs a command in {@code dir} with this job's environment plus {@code extraEnv}. */
    JobResult exec(List<String> command, Path dir, Map<String, String> extraEnv) throws InterruptedException {
        return job.exec(command, dir, merged(extraEnv), sink, line -> { });
    }

    /** As {@link #exec}, showing each output line to {@code watcher} first. */
    JobResult exec(List<String> command, Path dir, Map<String, String> extraEnv,
                         java.util.function.Consumer<String> watcher) throws InterruptedException {
        return job.exec(command, dir, merged(extraEnv), sink, watcher);
    }

    /** The task enters a stage at the next output line. */
    void stage(String type) {
        job.stage(type, sink);
    }

    Map<String, String> merged(Map<String, String> extraEnv) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extraEnv);
        return all;
    }

    /** The playbook (ansible) or subdirectory (terraform): the task's when the template lets it choose, else the template's. */
    String playbook() {
        Task task = spec.task();
        boolean own = task.playbook() != null && !task.playbook().isEmpty()
                && dev.semaphore.common.Json.tree(template().taskParams()).path("allow_override_playbook")
                .asBoolean(false);
        return own ? task.playbook() : template().playbook();
    }
}
