package dev.semaphore.inventory;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import java.util.List;
import java.util.regex.Pattern;

/** An inventory as a request describes it, with its content checked for its type. */
record InventoryInput(String name, String type, String inventory, Long sshKeyId, Long becomeKeyId,
                      Long repositoryId, Long templateId) {
    static final List<String> TYPES = List.of("static", "static-yaml", "file", "terraform-workspace",
            "tofu-workspace", "terragrunt-workspace");
    private static final Pattern WORKSPACE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,89}$");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    /** @param pathless whether a file inventory may lack its path for now (a backup's); a task using it is refused */
    static InventoryInput parse(JsonBody body, boolean pathless) {
        String name = body.requiredString("name").trim();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String type = body.requiredString("type");
        if (!TYPES.contains(type)) {
            throw ApiException.badRequest("field 'type' must be one of " + String.join(", ", TYPES));
        }
        String inventory = body.optionalString("inventory").orElse("");
        Long repository = body.optionalLong("repository_id").filter(id -> id > 0).orElse(null);
        switch (type) {
            case "static" -> InventoryText.checkIni(inventory);
            case "static-yaml" -> InventoryText.checkYaml(inventory);
            case "file" -> {
                if (!(pathless && inventory.isEmpty())) {
                    checkPath(inventory, repository != null);
                }
            }
            default -> {
                if (!WORKSPACE.matcher(inventory).matches()) {
                    throw ApiException.badRequest("field 'inventory' must be a workspace name (letters, digits, _ . -)");
                }
            }
        }
        return new InventoryInput(name, type, inventory, key(body, "ssh_key_id"), key(body, "become_key_id"),
                repository, body.optionalLong("template_id").filter(id -> id > 0).orElse(null));
    }

    private static Long key(JsonBody body, String field) {
        return body.optionalLong(field).filter(id -> id > 0).orElse(null);
    }

    private static void checkPath(String path, boolean insideRepository) {
        if (path.isBlank()) {
            throw ApiException.badRequest("field 'inventory' must be the path of the inventory file");
        }
        if (path.startsWith("-") || CONTROL.matcher(path).find()) {
            throw ApiException.badRequest("field 'inventory' must be a plain path (no leading '-', no control characters)");
        }
        if (insideRepository && (path.startsWith("/") || List.of(path.split("/")).contains(".."))) {
            throw ApiException.badRequest("field 'inventory' must be a path inside the repository (relative, without ..)");
        }
    }
}
