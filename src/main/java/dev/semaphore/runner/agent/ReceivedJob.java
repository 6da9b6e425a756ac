package dev.semaphore.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.environment.Environment;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.dispatch.JobParts;
import dev.semaphore.task.dispatch.JobPreparation;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.Template;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as a server sends it (upstream's {@code JobData} and the {@code access_keys} it uses), read
 * into this server's own types, so the runner prepares and runs it with the same code a server runs
 * its own jobs with.
 */
final class ReceivedJob implements JobParts {
    private final Task task;
    private final Template template;
    private final Repository repository;
    private final Repository inventoryRepository;
    private final Inventory inventory;
    private final Environment environment;
    /** The project's credential mappings as the server sent them (ours), their keys among the access keys. */
    private final JsonNode hostConfigs;
    private final JsonNode environmentJson;
    private final JsonNode keys;
    private final String surveySecrets;
    private final String webHost;
    private final int maxLineLength;
    private final int confirmationTimeoutSeconds;

    ReceivedJob(JsonNode job, JsonNode accessKeys, String webHost, int maxLineLength, int confirmationTimeoutSeconds) {
        this.maxLineLength = maxLineLength;
        this.confirmationTimeoutSeconds = confirmationTimeoutSeconds;
        ObjectNode taskJson = ((ObjectNode) job.path("task")).deepCopy();
        asText(taskJson, "params");
        surveySecrets = taskJson.path("secret").isTextual() ? taskJson.get("secret").asText() : null;
        task = read(taskJson, Task.class);
        ObjectNode templateJson = ((ObjectNode) job.path("template")).deepCopy();
        asText(templateJson, "survey_vars");
        asText(templateJson, "task_params");
        // The job carries the template's variable groups merged into one (as upstream sends them): that one.
        var groups = templateJson.putArray("environment_ids");
        if (job.path("environment").path("id").asLong(0) > 0) {
            groups.add(job.path("environment").path("id").asLong());
        }
        template = read(templateJson, Template.class);
        repository = read(job.path("repository"), Repository.class);
        inventoryRepository = job.path("inventory_repository").isObject()
                ? read(job.get("inventory_repository"), Repository.class) : null;
        inventory = job.path("inventory").path("id").asLong(0) > 0 ? read(job.get("inventory"), Inventory.class) : null;
        environmentJson = job.path("environment");
        environment = read(environmentJson, Environment.class);
        keys = accessKeys;
        hostConfigs = job.path("host_configs");
        this.webHost = webHost;
    }

    long taskId() {
        return task.id();
    }

    JobSpec spec() {
        return JobPreparation.prepare(task, template, this, surveySecrets);
    }

    /** A JSON field kept as text in our types (upstream sends it as an object or array). */
    private static void asText(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && (value.isObject() || value.isArray())) {
            node.put(field, value.toString());
        }
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the server sent a job this runner cannot read: " + e.getOriginalMessage());
        }
    }

    @Override
    public Repository repository(long projectId, long id) {
        if (repository.id() == id) {
            return repository;
        }
        if (inventoryRepository != null && inventoryRepository.id() == id) {
            return inventoryRepository;
        }
        throw new IllegalArgumentException("the job names repository " + id + " but did not send it");
    }

    @Override
    public Inventory inventory(long projectId, long id) {
        if (inventory == null || inventory.id() != id) {
            throw new IllegalArgumentException("the job names inventory " + id + " but did not send it");
        }
        return inventory;
    }

    @Override
    public Environment environment(long projectId, long id) {
        return environment;
    }

    @Override
    public Map<String, String> secretValues(long projectId, long environmentId, String type) {
        Map<String, String> values = new LinkedHashMap<>();
        environmentJson.path("secrets").forEach(s -> {
            if (type.equals(s.path("type").asText())) {
                values.put(s.path("name").asText(), s.path("secret").asText(""));
            }
        });
        return values;
    }

    @Override
    public List<dev.semaphore.secret.GitMapping> gitMappings(long projectId) {
        List<dev.semaphore.secret.GitMapping> mappings = new java.util.ArrayList<>();
        hostConfigs.forEach(c -> mappings.add(new dev.semaphore.secret.GitMapping(c.path("id").asLong(),
                c.path("type").asText(), c.path("host").asText(), key(projectId, c.path("ssh_key_id").asLong()))));
        return mappings;
    }

    @Override
    public KeySecret key(long projectId, long id) {
        JsonNode key = keys.path(String.valueOf(id));
        return switch (key.path("type").asText("none")) {
            case "ssh" -> new KeySecret.Ssh(key.path("ssh").path("login").asText(""),
                    key.path("ssh").path("passphrase").asText(""), key.path("ssh").path("private_key").asText(""));
            case "login_password" -> new KeySecret.LoginPassword(key.path("login_password").path("login").asText(""),
                    key.path("login_password").path("password").asText(""));
            case "string" -> new KeySecret.Text(key.path("string").asText(""));
            default -> new KeySecret.None();
        };
    }

    @Override
    public String webHost() {
        return webHost;
    }

    @Override
    public int maxLineLength() {
        return maxLineLength;
    }

    @Override
    public int confirmationTimeoutSeconds() {
        return confirmationTimeoutSeconds;
    }
}
