package dev.semaphore.task.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskParams;
import dev.semaphore.template.Template;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run needs, read and decrypted once before it starts: the task and its template,
 * the repository (and the inventory's own, if it has one), the inventory, the variable group's
 * environment and variables with the task's over them, the secrets, and every key the run uses.
 * Plain data: no service, no database handle, no process; an executor needs nothing else. The
 * dispatcher builds it ({@code JobPreparation}).
 *
 * @param env the process environment: the variable group's {@code env} and env-type secrets
 * @param vars the extra variables: the group's JSON with the task's variables over it
 * @param taskVarNames the variables whose values came from the task (never trusted as templates)
 * @param varSecrets var-type secrets of the group with the task's secret survey values over them
 * @param keys every key the run may use, by id, decrypted
 * @param secrets the values its output must never show
 */
public record JobSpec(Task task, Template template, TaskParams params, Repository repository,
                      Repository inventoryRepository, Inventory inventory, Map<String, String> env, ObjectNode vars,
                      Set<String> taskVarNames, Map<String, String> varSecrets, Map<Long, KeySecret> keys,
                      List<String> secrets, String webHost, int maxLineLength, int confirmationTimeoutSeconds,
                      List<dev.semaphore.secret.GitMapping> gitMappings) {

    /** A key's secret; none for a missing key id. */
    public KeySecret key(Long keyId) {
        return keyId == null ? new KeySecret.None() : keys.getOrDefault(keyId, new KeySecret.None());
    }
}
