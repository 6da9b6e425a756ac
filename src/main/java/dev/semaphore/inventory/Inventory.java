package dev.semaphore.inventory;

/**
 * An inventory in upstream's JSON shape; the key, repository and template ids are null when not set
 * ({@code template_id}: the template a Terraform workspace inventory is attached to).
 */
public record Inventory(long id, String name, long projectId, String inventory, Long sshKeyId, Long becomeKeyId,
                        Long repositoryId, String type, Long templateId) {
}
