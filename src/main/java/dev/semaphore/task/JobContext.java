package dev.semaphore.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.template.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One task's prepared run: its checkout, its private directory (for key material and generated
 * files, removed afterwards), the process environment, the extra variables (the group's JSON with
 * the task's over it), the group's var-type secrets, the names of the variables whose values came
 * from the task (survey answers: never trusted as templates), and the job to run commands through.
 */
record JobContext(Task task, Template template, TaskParams params, Repository repository, Path checkout,
                  Inventory inventory, PrivateDirectory workspace, Map<String, String> env, ObjectNode vars,
                  Map<String, String> varSecrets, java.util.Set<String> taskVarNames, LogSink sink, LocalJob job) {

    /** Runs a command in {@code dir} with this job's environment plus {@code extraEnv}. */
    LocalJob.Result exec(List<String> command, Path dir, Map<String, String> extraEnv) throws InterruptedException {
        return job.exec(command, dir, merged(extraEnv), sink, line -> { });
    }

    /** As {@link #exec}, showing each output line to {@code watcher} first. */
    LocalJob.Result exec(List<String> command, Path dir, Map<String, String> extraEnv,
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

    /** The playbook (ansible) or subdirectory (terraform): the task's when it names one, else the template's. */
    String playbook() {
        boolean own = task.playbook() != null && !task.playbook().isEmpty()
                && dev.semaphore.common.Json.tree(template.taskParams()).path("allow_override_playbook").asBoolean(false);
        return own ? task.playbook() : template.playbook();
    }
}
