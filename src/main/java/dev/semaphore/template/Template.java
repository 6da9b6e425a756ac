package dev.semaphore.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A template in upstream's JSON shape. {@code tasks} counts its tasks; {@code last_task} is its latest. */
public record Template(long id, long projectId, Long inventoryId, long repositoryId, Long environmentId, Long viewId,
                       String name, String playbook, String arguments, String description,
                       boolean allowOverrideArgsInTask, boolean allowOverrideBranchInTask, boolean allowParallelTasks,
                       boolean suppressSuccessAlerts, String app, String gitBranch, String type, String startVersion,
                       Long buildTemplateId, boolean autorun, JsonNode surveyVars, List<Vault> vaults,
                       JsonNode taskParams, String runnerTag, int tasks, Object lastTask) {

    /** A vault password (from a key) or vault password client script. */
    public record Vault(long id, String name, String type, Long vaultKeyId, String script) {
    }
}
