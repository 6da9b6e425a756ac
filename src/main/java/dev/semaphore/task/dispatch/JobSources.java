package dev.semaphore.task.dispatch;

import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.Keyring;

/**
 * What a job reads from the features a task is made of; {@code webHost} builds the task's link, the
 * keyring seals a task's secret survey values while it waits, {@code maxLineLength} bounds one output line,
 * {@code confirmationTimeoutSeconds} how long a plan waits for a decision.
 */
public record JobSources(RepositoryService repositories, EnvironmentService environments, AccessKeyService keys,
                         InventoryService inventories, Keyring keyring,
                         String webHost, int maxLineLength, int confirmationTimeoutSeconds,
                         dev.semaphore.hostconfig.HostConfigService hostConfigs) implements JobParts {
    @Override
    public java.util.List<dev.semaphore.secret.GitMapping> gitMappings(long projectId) {
        return hostConfigs.forTask(projectId).stream().map(m -> new dev.semaphore.secret.GitMapping(
                m.config().id(), m.config().type(), m.config().host(), m.secret())).toList();
    }

    @Override
    public dev.semaphore.repository.Repository repository(long projectId, long id) {
        return repositories.get(projectId, id);
    }

    @Override
    public dev.semaphore.inventory.Inventory inventory(long projectId, long id) {
        return inventories.get(projectId, id);
    }

    @Override
    public dev.semaphore.environment.Environment environment(long projectId, long id) {
        return environments.get(projectId, id);
    }

    @Override
    public java.util.Map<String, String> secretValues(long projectId, long environmentId, String type) {
        return environments.secretValues(projectId, environmentId, type);
    }

    @Override
    public dev.semaphore.secret.KeySecret key(long projectId, long id) {
        return keys.secret(projectId, id);
    }
}
