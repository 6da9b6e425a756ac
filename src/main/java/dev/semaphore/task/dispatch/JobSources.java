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
                         String webHost, int maxLineLength, int confirmationTimeoutSeconds) {
}
