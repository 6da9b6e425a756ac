package dev.semaphore.task;

import dev.semaphore.app.Apps;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.Keyring;
import dev.semaphore.terraform.TerraformBackend;

/**
 * What a job reads from the features a task is made of; {@code webHost} builds the task's link, the
 * keyring seals a task's secret survey values while it waits, {@code maxLineLength} bounds one output line,
 * {@code confirmationTimeoutSeconds} how long a plan waits for a decision.
 */
public record JobSources(RepositoryService repositories, EnvironmentService environments, AccessKeyService keys,
                         InventoryService inventories, Keyring keyring, Apps apps, TerraformBackend terraform,
                         String webHost, int maxLineLength, int confirmationTimeoutSeconds) {
}
