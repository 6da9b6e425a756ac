package dev.semaphore.task;

import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;

/** What a job reads from the features a task is made of; {@code webHost} builds the task's link. */
public record JobSources(RepositoryService repositories, EnvironmentService environments, AccessKeyService keys,
                         InventoryService inventories, String webHost) {
}
