package dev.semaphore.inventory;

/** An inventory in upstream's JSON shape; the key and repository ids are null when not set. */
public record Inventory(long id, String name, long projectId, String inventory, Long sshKeyId, Long becomeKeyId,
                        Long repositoryId, String type) {

    /** Upstream always sends it (the template a Terraform workspace inventory belongs to); none here. */
    @com.fasterxml.jackson.annotation.JsonProperty("template_id")
    public Long templateId() {
        return null;
    }
}
