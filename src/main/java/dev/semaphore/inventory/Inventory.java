package dev.semaphore.inventory;

/** An inventory in upstream's JSON shape; the key and repository ids are null when not set. */
public record Inventory(long id, String name, long projectId, String inventory, Long sshKeyId, Long becomeKeyId,
                        Long repositoryId, String type) {
}
