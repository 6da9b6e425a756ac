package dev.semaphore.template;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;

/**
 * A template in upstream's JSON shape. {@code tasks} counts its tasks; {@code last_task} is its latest.
 * {@code environment_ids} are its variable groups in order (later ones override earlier ones);
 * {@code environment_id} is the first, as upstream still sends it.
 * Survey variables and task params are JSON checked on the way in and written out as stored, so a
 * list of a thousand templates is not parsed and re-serialised on every request.
 */
public record Template(long id, long projectId, Long inventoryId, long repositoryId, Long environmentId, Long viewId,
                       String name, String playbook, String arguments, String description,
                       boolean allowOverrideArgsInTask, boolean allowOverrideBranchInTask, boolean allowParallelTasks,
                       boolean suppressSuccessAlerts, String app, String gitBranch, String type, String startVersion,
                       Long buildTemplateId, boolean autorun, @JsonRawValue String surveyVars, List<Vault> vaults,
                       @JsonRawValue String taskParams, String runnerTag, int tasks, Object lastTask,
                       List<Long> environmentIds, String workingDirectory, boolean suppressErrorAlerts) {

    /** The same template with its run count and latest task. */
    Template withRuns(int count, Object last) {
        return new Template(id, projectId, inventoryId, repositoryId, environmentId, viewId, name, playbook, arguments,
                description, allowOverrideArgsInTask, allowOverrideBranchInTask, allowParallelTasks,
                suppressSuccessAlerts, app, gitBranch, type, startVersion, buildTemplateId, autorun, surveyVars, vaults,
                taskParams, runnerTag, count, last, environmentIds, workingDirectory, suppressErrorAlerts);
    }

    /** A vault password (from a key) or vault password client script. */
    public record Vault(long id, String name, String type, Long vaultKeyId, String script) {
    }
}
